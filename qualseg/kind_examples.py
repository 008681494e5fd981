"""Generic labelled example sentences and interviewer prompts for the kind classifier.

These examples were written from scratch for B2B customer interviews (win/loss and
post-purchase interviews) across many markets: manufacturing, logistics, construction,
retail, hospitality, healthcare, labs, law, accounting, insurance, banking, education,
local government, nonprofits, software, IT, HR, agencies, property, utilities,
agriculture, field services, telecom, media, e-commerce, travel, auto dealers,
architecture, facilities, call centres and more. They are not taken from, nor
paraphrased from, any study or transcript.

EXAMPLES maps each kind ("need", "outcome", "psychographic", "trigger", "objection",
"other") to spoken-style participant sentences of that kind. PROMPTS maps each kind to
interviewer questions that typically come right before an answer of that kind.

Some topics deliberately appear under several kinds (a missed shipment as a standing
need vs. as the event that triggered a search; price as an objection vs. a frugal
habit vs. a price increase that triggered a switch; an audit as a risk, a trigger or
a timing objection; a key person as a dependency vs. their departure) so that the
classifier learns the kind from how the sentence is framed, not from its topic.

The sentences live in ``data/kind_examples.json`` (``{"examples": {kind: [...]}, "prompts":
{kind: [...]}}``, kinds in the order above); this module loads them once. The shipped classifier
is fitted on these and on the annotated studies (``kind_training.py``), whose training digest
covers these texts: editing the file means refitting (``scripts/train_kinds.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

from qualseg.models import KINDS, Kind

DATA_FILE = Path(__file__).parent / "data" / "kind_examples.json"


def _load() -> tuple[dict[Kind, tuple[str, ...]], dict[Kind, tuple[str, ...]]]:
    document = json.loads(DATA_FILE.read_text("utf-8"))
    tables = []
    for part in ("examples", "prompts"):
        table = {kind: tuple(texts) for kind, texts in document[part].items()}
        if set(table) != set(KINDS):
            raise ValueError(f"{DATA_FILE.name}: {part} must list every kind once")
        tables.append(table)
    return tables[0], tables[1]


EXAMPLES, PROMPTS = _load()
