"""Sentence-pair probes: a reference sentence and its re-report, audited as a two-article set
(with a shared filler paragraph so the set looks like a story). A paraphrase must give no finding
of medium or high severity; a drift must give exactly one, of the expected type, on the article.

The pairs are written for these tests (fictional events) and cover each drift type and the
paraphrases that most easily cause false alarms: titles for names, voice, number formats,
clause order, synonyms.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import drift

FILLER = "The story continues below. Officials gave no further details on Friday evening."

PROBES: list[tuple[str, str, str | None, str]] = [
    ('Transport Minister Halvard Orsett closed the Kestrel Bridge to heavy lorries on Thursday.',
     'The minister closed the Kestrel Bridge to heavy lorries on Thursday.',
     None, 'title-for-name agent'),
    ('Minera Quillca suspended all underground work at the Cerro Pardo mine on Wednesday.',
     'The company suspended all underground work at the Cerro Pardo mine on Wednesday.',
     None, 'company-for-name agent'),
    ('The regulator fined SkyMarro 4.2 million euros on Tuesday.',
     'SkyMarro was fined €4.2m by the regulator on Tuesday.',
     None, '€4.2m'),
    ('The regulator fined SkyMarro 4.2 million euros on Tuesday.',
     'The regulator fined SkyMarro 4,200,000 euros on Tuesday.',
     None, '4,200,000'),
    ('The council adopted the plan by 31 votes to 9 on Monday.',
     'The council adopted the plan 31-9 on Monday.',
     None, '31-9'),
    ('The national fund will cover half of the 240 million euro cost.',
     'The national fund will cover 50% of the 240 million euro cost.',
     None, 'half=50%'),
    ('Police arrested 12 protesters outside the parliament on Sunday.',
     'Police arrested a dozen protesters outside the parliament on Sunday.',
     None, 'dozen'),
    ('The ferry sank on Jan. 9 near Isla Verde, the coast guard said.',
     'The ferry sank on 9 January near Isla Verde, the coast guard said.',
     None, 'date format'),
    ('Police arrested 12 protesters in Lima on Sunday.',
     'Police arrested 12 protesters in the Peruvian capital on Sunday.',
     None, 'capital-for-city'),
    ('The airline declined to comment on the fine.',
     'The airline did not respond to a request for comment on the fine.',
     None, 'no-comment paraphrase'),
    ('The mayor said the bridge could reopen in May.',
     'The bridge may reopen in May, according to the mayor.',
     None, 'could->may + according to'),
    ('The court sentenced Ruiz to eight years in prison on Monday.',
     'Ruiz was given an eight-year prison sentence by the court on Monday.',
     None, 'nominalised sentence'),
    ('Rescuers found 14 survivors after the quake, the army said.',
     'After the quake, 14 survivors were found by rescuers, the army said.',
     None, 'passive reorder'),
    ('The union called off the strike after the company raised wages by 6%.',
     'The strike was cancelled by the union once the company agreed to a 6% pay rise.',
     None, 'called off = cancelled'),
    ('Rescuers reached four of the miners by Friday morning.',
     'Rescuers reached five of the miners by Friday morning.',
     'number_change', 'partitive number'),
    ('The passengers waited more than six months for their money, the authority said.',
     'The passengers waited more than nine months for their money, the authority said.',
     'number_change', 'duration'),
    ('The regulator fined SkyMarro 4.2 million euros on Tuesday.',
     'The regulator fined SkyMarro 4.2 billion euros on Tuesday.',
     'number_change', 'million->billion'),
    ('The plant will close in June 2025, the company said.',
     'The plant will close in June 2026, the company said.',
     'date_change', 'year'),
    ('Police arrested 12 protesters outside the parliament on Sunday.',
     'Police arrested 12 protesters outside the presidential palace on Sunday.',
     'location_change', 'place common noun'),
    ('Police arrested 12 protesters in Lima on Sunday.',
     'Police arrested 12 protesters in Cusco on Sunday.',
     'location_change', 'place name'),
    ('The minister said the ban could last until March.',
     'The minister said the ban will last until March.',
     'modality_shift', 'could->will no anchor'),
    ('The company allegedly dumped waste into the river.',
     'The company dumped waste into the river.',
     'modality_shift', 'allegedly dropped no anchor'),
    ('The talks are expected to end on Friday.',
     'The talks will end on Friday.',
     'modality_shift', 'expected to dropped'),
    ('The ministry approved the merger.',
     'The ministry blocked the merger.',
     'predicate_change', 'approve->block'),
    ('The court acquitted the former mayor of fraud on Monday.',
     'The court convicted the former mayor of fraud on Monday.',
     'predicate_change', 'acquit->convict'),
    ('The company denied that it had dumped waste into the river.',
     'The company admitted that it had dumped waste into the river.',
     'polarity_flip', 'deny->admit'),
    ('The strike will go ahead unless the company raises wages.',
     'The strike will go ahead.',
     'condition_change', 'condition dropped'),
    ('The strike will go ahead.',
     'The strike will go ahead if talks fail on Friday.',
     'condition_change', 'condition added'),
    ('Three people died, according to the health ministry.',
     'Three people died, according to the newspaper El Correo.',
     'source_change', 'newspaper El Correo'),
    ('The ministry said three people died in the blast.',
     'The fire brigade said three people died in the blast.',
     'source_change', "speaker swap no 'according to'"),
    ('The minister handed the award to the firefighters.',
     'The minister handed the award to the police officers.',
     'entity_change', 'recipient'),
    ('The mayor told the council the budget was final.',
     'The mayor told reporters the budget was final.',
     'entity_change', 'addressee'),
    ('The bridge, which the city council closed on Monday, carries 18,000 vehicles a day.',
     'The bridge, which the national government closed on Monday, carries 18,000 vehicles a day.',
     'actor_swap', 'relative clause vs relative clause'),
    ('Minera Quillca said it had suspended all underground work.',
     'The energy ministry said it had suspended all underground work.',
     'actor_swap', "actor via 'it'"),
    # More paraphrases, each the counterpart of a drift probe above.
    ("The ministry approved the merger.",
     "The merger was approved by the ministry.",
     None, "approve passive"),
    ("Rescuers reached four of the miners by Friday morning.",
     "By Friday morning rescuers had reached four miners.",
     None, "partitive paraphrase"),
    ("The passengers waited more than six months for their money, the authority said.",
     "Passengers waited over six months to be paid, the authority said.",
     None, "duration paraphrase"),
    ("The minister said the ban could last until March.",
     "The ban might last until March, the minister said.",
     None, "could->might"),
    ("The strike will go ahead unless the company raises wages.",
     "Unless wages are raised by the company, the strike will go ahead.",
     None, "condition reordered"),
    ("Three people died, according to the health ministry.",
     "Three people died, the health ministry said.",
     None, "according to -> said"),
    ("The ministry said three people died in the blast.",
     "Three people died in the blast, the ministry said.",
     None, "speaker reordered"),
    ("Minera Quillca said it had suspended all underground work.",
     "The company said it had halted all underground work.",
     None, "company-for-name via 'it'"),
    ("Police arrested 12 protesters outside the parliament on Sunday.",
     "Police arrested 12 protesters outside the parliament building on Sunday.",
     None, "place paraphrase"),
    ("The mayor told the council the budget was final.",
     "The mayor told council members that the budget was final.",
     None, "addressee paraphrase"),
    ("The plant will close in June 2025, the company said.",
     "The company said the plant would close in June 2025.",
     None, "year reported speech"),
    ("Exporters expect losses of $4 million a day if the strike lasts, the union said.",
     "Exporters expect to lose $4 million a day if the strike continues, the union said.",
     None, "condition verb synonym"),
    ("The fine will be halved if the airline pays every outstanding refund by April.",
     "The fine will be halved if the airline apologises to its passengers by April.",
     "condition_change", "condition changed, same names and dates"),
    ("The reservoir was lowered by 6 metres on Friday, the agency said.",
     "The reservoir was lowered by 6 m on Friday, the agency said.",
     None, "metres abbreviated"),
]


# Probes the audit as shipped is known to miss, and why (strict: a fix must remove the entry).
KNOWN = {
    "addressee": "the judges fine-tuned since 2026-12-05 (third session) read 'told reporters' "
                 "for 'told the council' as the same (P(changed) 0.016, 0.047 for the judge of "
                 "2026-12-06) and veto the comparator's finding below 0.05; the veto threshold "
                 "ties at 0.0-0.05 (0.0-0.1 since) on the calibration sets, so it stays as "
                 "calibrated",
}


@pytest.mark.parametrize(
    ("reference", "article", "expected"),
    [pytest.param(r, a, t, id=name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN[name])]
                  if name in KNOWN else []) for r, a, t, name in PROBES],
)
def test_probe(reference: str, article: str, expected: str | None, tmp_path: Path) -> None:
    (tmp_path / "reference.txt").write_text(f"{reference}\n\n{FILLER}\n", encoding="utf-8")
    (tmp_path / "art.txt").write_text(f"{article}\n\n{FILLER}\n", encoding="utf-8")
    report = drift.audit([tmp_path], reference=tmp_path / "reference.txt",
                         translator="identity", use_cache=False)
    found = [(f.article, f.type, f.expected, f.found) for f in report.findings
             if f.severity != "low"]
    assert [(a, t) for a, t, _, _ in found] == ([("art", expected)] if expected else []), found
