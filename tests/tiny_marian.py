"""Build a tiny random-weight MarianMT model laid out like a Helsinki-NLP opus-mt folder.

Not a test module: ``build_tiny_marian(dir)`` is used by the translation tests so that the real
transformers code path (tokenizer files, config, safetensors, generate) runs without downloads.
The model is shaped like opus-mt (shared SentencePiece vocabulary, swish, scaled embeddings,
sinusoidal positions) but tiny, so it loads and generates in well under a second.
"""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

# Our own example lines, in the register of the news the project audits (Spanish and English).
SPANISH = [
    "El ministro de Defensa anunció nuevas medidas en la frontera norte.",
    "La presidenta dijo que el gobierno no aceptará amenazas de ningún país.",
    "Los aranceles entrarán en vigor el próximo lunes, según el comunicado oficial.",
    "El Ejército enviará diez mil soldados para reforzar la seguridad.",
    "Según el periódico, la llamada duró más de una hora.",
    "Varios funcionarios fueron detenidos por colusión con los cárteles.",
    "La oposición pidió una investigación independiente sobre el caso.",
    "El acuerdo comercial se firmó en Washington tras semanas de negociación.",
    "Las autoridades informaron que no hubo heridos en el incidente.",
    "¿Qué medidas tomará el gobierno si la violencia continúa?",
]
ENGLISH = [
    "The defense minister announced new measures at the northern border.",
    "The president said the government will not accept threats from any country.",
    "The tariffs will take effect next Monday, according to the official statement.",
    "The army will send ten thousand troops to reinforce security.",
    "According to the newspaper, the call lasted more than an hour.",
    "Several officials were arrested for collusion with the cartels.",
    "The opposition called for an independent investigation into the case.",
    "The trade agreement was signed in Washington after weeks of negotiation.",
    "The authorities reported that nobody was injured in the incident.",
    "What measures will the government take if the violence continues?",
]


def build_tiny_marian(
    directory: Path,
    *,
    vocab_size: int = 160,
    d_model: int = 16,
    max_position_embeddings: int = 128,
    seed: int = 0,
) -> Path:
    """Write a tiny opus-mt-like model (tokenizer files, config, random weights) into ``directory``.

    Returns ``directory``; checks that MarianTokenizer and MarianMTModel load it back.
    """
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    directory.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    # Marian's convention: </s> = 0, <unk> = 1, <pad> = the last id (added below, not in the spm).
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SPANISH + ENGLISH),
        model_writer=buf,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    model_bytes = buf.getvalue()
    for name in ("source.spm", "target.spm"):
        (directory / name).write_bytes(model_bytes)
    sp = spm.SentencePieceProcessor(model_proto=model_bytes)
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    pad_id = len(vocab)
    vocab["<pad>"] = pad_id
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (directory / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "MarianTokenizer",
        "source_lang": "es",
        "target_lang": "en",
        "unk_token": "<unk>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
        "model_max_length": 512,
        "separate_vocabs": False,
    }), encoding="utf-8")

    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=max_position_embeddings,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
        tie_word_embeddings=True,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
        encoder_layerdrop=0.0,
        decoder_layerdrop=0.0,
        init_std=1.0,  # large random weights: outputs vary with the input (0.02 repeats a token)
        use_cache=True,
        is_encoder_decoder=True,
        pad_token_id=pad_id,
        eos_token_id=0,
        bos_token_id=None,
        forced_eos_token_id=0,
        decoder_start_token_id=pad_id,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    # Like the published opus-mt generation_config.json: beam 4 and max_length 512 by default,
    # which is why the backend must pass its decoding settings explicitly.
    model.generation_config = GenerationConfig(
        num_beams=4,
        max_length=512,
        bad_words_ids=[[pad_id]],
        forced_eos_token_id=0,
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
    )
    model.save_pretrained(directory)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        MarianTokenizer.from_pretrained(directory)
    MarianMTModel.from_pretrained(directory)
    return directory
