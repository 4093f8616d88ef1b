"""Declared languages (front matter, JSON fields, HTML ``lang``) to ISO 639-1 codes.

``Spanish``, ``español``, ``spa``, ``es-ES`` and ``ES`` all mean ``es``. A value that is none of
an ISO 639-1 code, a common ISO 639-2/3 code or a language name known here is not guessed at
(the old ``[:2]`` cut turned "Spanish" into "sp"): :func:`normalize_language` returns None and
the reader records a note, and the article's language is then inferred from its text.
"""

from __future__ import annotations

import re
import unicodedata

# Every ISO 639-1 code (the two-letter codes are accepted as they are).
_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz
ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln
lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi
pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti
tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
ISO_639_1 = frozenset(_CODES.split())

# code: ISO 639-2/T and /B and 639-3 codes, English and native names (accents are ignored when
# matching). The languages news re-reports come in most, plus every language of the model
# registry and of drift.detect's script table.
_TABLE: dict[str, str] = {
    "af": "afr afrikaans",
    "am": "amh amharic አማርኛ",
    "ar": "ara arb arabic العربية عربي",
    "az": "aze azj azerbaijani azərbaycanca",
    "be": "bel belarusian беларуская",
    "bg": "bul bulgarian български",
    "bn": "ben bengali bangla বাংলা",
    "bs": "bos bosnian bosanski",
    "ca": "cat catalan català valencian valencià",
    "cs": "ces cze czech čeština cesky",
    "cy": "cym wel welsh cymraeg",
    "da": "dan danish dansk",
    "de": "deu ger german deutsch",
    "el": "ell gre greek ελληνικά",
    "en": "eng english",
    "eo": "epo esperanto",
    "es": "spa spanish español castellano castilian",
    "et": "est estonian eesti",
    "eu": "eus baq basque euskara",
    "fa": "fas per pes persian farsi فارسی",
    "fi": "fin finnish suomi",
    "fr": "fra fre french français",
    "ga": "gle irish gaeilge",
    "gl": "glg galician galego",
    "gu": "guj gujarati ગુજરાતી",
    "he": "heb hebrew עברית",
    "hi": "hin hindi हिन्दी हिंदी",
    "hr": "hrv croatian hrvatski",
    "hu": "hun hungarian magyar",
    "hy": "hye arm armenian հայերեն",
    "id": "ind indonesian bahasa_indonesia",
    "is": "isl ice icelandic íslenska",
    "it": "ita italian italiano",
    "ja": "jpn japanese 日本語",
    "ka": "kat geo georgian ქართული",
    "kk": "kaz kazakh қазақша қазақ",
    "km": "khm khmer",
    "ko": "kor korean 한국어",
    "ky": "kir kyrgyz кыргызча",
    "lt": "lit lithuanian lietuvių",
    "lv": "lav lvs latvian latviešu",
    "mk": "mkd mac macedonian македонски",
    "ml": "mal malayalam",
    "mn": "mon khk mongolian монгол",
    "mr": "mar marathi मराठी",
    "ms": "msa may zsm malay bahasa_melayu",
    "mt": "mlt maltese malti",
    "my": "mya bur burmese",
    "nb": "nob bokmål norwegian_bokmål",
    "ne": "nep npi nepali नेपाली",
    "nl": "nld dut dutch nederlands flemish vlaams",
    "nn": "nno nynorsk norwegian_nynorsk",
    "no": "nor norwegian norsk",
    "pa": "pan pnb punjabi panjabi ਪੰਜਾਬੀ",
    "pl": "pol polish polski",
    "ps": "pus pbt pashto پښتو",
    "pt": "por portuguese português",
    "ro": "ron rum romanian română moldovan",
    "ru": "rus russian русский",
    "sk": "slk slo slovak slovenčina",
    "sl": "slv slovenian slovene slovenščina",
    "so": "som somali soomaali",
    "sq": "sqi alb als albanian shqip",
    "sr": "srp serbian српски srpski",
    "sv": "swe swedish svenska",
    "sw": "swa swh swahili kiswahili",
    "ta": "tam tamil தமிழ்",
    "te": "tel telugu తెలుగు",
    "th": "tha thai ไทย",
    "tl": "tgl tagalog filipino fil",
    "tr": "tur turkish türkçe",
    "uk": "ukr ukrainian українська",
    "ur": "urd urdu اردو",
    "uz": "uzb uzn uzbek oʻzbekcha",
    "vi": "vie vietnamese tiếng_việt",
    "yi": "yid yiddish ייִדיש",
    "zh": "zho chi cmn chinese mandarin 中文 汉语 漢語 普通话",
    "zu": "zul zulu isizulu",
}
# Chinese written forms and macrolanguage members that are still ``zh`` for translation.
_EXTRA = {"yue": "zh", "cantonese": "zh", "nob": "nb", "filipino": "tl"}


def _fold(text: str) -> str:
    """Lower case without accents; spaces, hyphens and underscores as ``_``."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_-]+", "_", plain)


_ALIASES: dict[str, str] = {}
for _code, _words in _TABLE.items():
    for _word in _words.split():
        _ALIASES[_fold(_word)] = _code
_ALIASES.update({_fold(k): v for k, v in _EXTRA.items()})

# A region or script after the language: en-GB, pt_BR, zh-Hant, sr-Latn-RS.
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})+$")


def normalize_language(value: str) -> str | None:
    """The ISO 639-1 code ``value`` names, or None when it names no language known here.

    >>> [normalize_language(v) for v in ("Spanish", "español", "spa", "ES", "pt-BR", "xx")]
    ['es', 'es', 'es', 'es', 'pt', None]
    """
    text = value.strip()
    if not text:
        return None
    m = _TAG.match(text)
    if m:
        text = m.group(1)
    folded = _fold(text)
    if folded in ISO_639_1:
        return folded
    return _ALIASES.get(folded) or _ALIASES.get(_fold(unicodedata.normalize("NFC", text)))
