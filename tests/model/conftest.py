"""Synthetic labelled posts for the model tests: invented, never real ads."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from random import Random

import pytest

from suar.model.features import TextHashing
from suar.model.training import TrainingConfig

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

_LURE = [
    "Earn {pay} dollars a week from home, no experience needed, start today!",
    "Easy online data entry job, {pay} USD per day, contact our agent on Telegram now.",
    "Work from home typing job, guaranteed income {pay} weekly, pay a small fee to register.",
    "URGENT hiring! Customer service abroad, salary {pay} USD, free visa and flight, message WhatsApp.",
    "Make money fast with simple tasks online, {pay} per day, no interview, apply via chat.",
]
_ORDINARY = [
    "Our accounting team in {city} seeks a junior accountant with a degree and two years of experience.",
    "The hospital in {city} is hiring registered nurses; send your CV to our human resources office.",
    "Warehouse supervisor needed at our {city} distribution centre; forklift licence required.",
    "Software engineer position in {city}: Python and SQL, hybrid work, health insurance provided.",
    "Teacher of mathematics for a secondary school in {city}, teaching licence required.",
]
_CITIES = ("Manila", "Cebu", "Jakarta", "Bangkok", "Hanoi", "Kuala Lumpur", "Singapore")


def synthetic_examples(
    seed: int = 0, lures: int = 30, ordinary: int = 60
) -> list[dict[str, object]]:
    """Invented English lures (label 1) and ordinary ads (label 0), varied by a seeded RNG."""
    rng = Random(seed)
    rows: list[dict[str, object]] = []
    for i in range(lures):
        text = rng.choice(_LURE).format(pay=rng.choice([300, 500, 900, 1500]))
        rows.append({"id": f"l{i}", "text": f"{text} Ref {i}.", "label": 1, "lang": "en"})
    for i in range(ordinary):
        text = rng.choice(_ORDINARY).format(city=rng.choice(_CITIES))
        rows.append({"id": f"o{i}", "text": f"{text} Ref {i}.", "label": 0, "lang": "en"})
    rng.shuffle(rows)
    return rows


def write_jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> Path:
    """Write ``rows`` as JSON Lines, gzipped when the name ends in .gz."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


#: A small, fast configuration for training in tests.
SMALL = TrainingConfig(
    hashing=TextHashing(bits=14),
    char_weights=(0.5,),
    regularisation=(10.0,),
    selection_sources=(),
    calibration_sources=(),
    min_language_lures=5,
)


@pytest.fixture
def labelled_file(tmp_path: Path) -> Path:
    """A JSONL file of synthetic labelled posts."""
    return write_jsonl(tmp_path / "labelled.jsonl", synthetic_examples(seed=1))
