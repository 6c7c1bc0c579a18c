"""The red-flag vocabulary and taxonomy: the data files behind flags and scoring, validated.

Each file ``data/flags/<lang>.json`` lists, by flag code, the phrases of one
language that show a red flag of a recruitment lure, plus *context* phrases
(a skilled job title, a longer phrase such as "no placement fee" that cancels
the flag inside it, the words of a warning against lures) and, for languages
that are easily confused, the marker words language identification uses.
``data/flags/schema.json`` is the JSON Schema of a pack. ``data/scoring.json``
holds the taxonomy (each code's label, family and weights) and the scoring
tables; :class:`ScoringConfig` is its schema, and every code a pack uses must
be in it. Nothing is read until a function here is first called; the result
is cached, and a bad file raises :class:`~suar.errors.DataError`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Final, Literal

import jsonschema
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from suar.detect.normalize import fold
from suar.errors import DataError

logger = logging.getLogger(__name__)

_DIRECTORY: Final = "flags"
_SCHEMA_FILE: Final = "schema.json"
_SCORING_FILE: Final = "scoring.json"
Strength = Literal["weak", "normal", "strong"]

#: The languages Suar ships a pack for (BCP-47); each must have its file.
PACK_LANGUAGES: Final[tuple[str, ...]] = (
    "en",
    "id",
    "ms",
    "tl",
    "vi",
    "th",
    "km",
    "my",
    "lo",
    "zh-Hans",
    "zh-Hant",
    "ko",
    "ja",
)

CONTEXT_PREFIX: Final = "context."


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase of a pack: the words, the flag code they show, and how to match them."""

    code: str
    text: str
    lang: str
    strong: bool = False
    exact: bool = False
    country: str | None = None

    @property
    def is_context(self) -> bool:
        """Whether the phrase only informs the reading of others and is never shown as a flag."""
        return self.code.startswith(CONTEXT_PREFIX)


@dataclass(frozen=True, slots=True)
class Pack:
    """The vocabulary of one language."""

    lang: str
    name: str
    phrases: tuple[Phrase, ...]
    markers: frozenset[str]

    @property
    def codes(self) -> frozenset[str]:
        """Every code, flag or context, that a phrase of this pack shows."""
        return frozenset(p.code for p in self.phrases)


def _flags_dir() -> Traversable:
    return resources.files("suar.detect").joinpath("data", _DIRECTORY)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    path = _flags_dir().joinpath(_SCHEMA_FILE)
    try:
        schema = json.loads(path.read_text("utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as exc:
        raise DataError(f"flag pack schema {_SCHEMA_FILE} is unusable: {exc}") from exc
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


def _phrase(raw: str | Mapping[str, Any], code: str, lang: str) -> Phrase:
    if isinstance(raw, str):
        raw = {"text": raw}
    # Packs are typed in NFC; matching works on NFKC text.
    text = fold(raw["text"]).strip()
    return Phrase(
        code=code,
        text=text,
        lang=lang,
        strong=bool(raw.get("strong", False)),
        exact=bool(raw.get("exact", False)),
        country=raw.get("country"),
    )


def parse_pack(document: Any, source: str) -> Pack:
    """Check one decoded pack file against the schema and build its :class:`Pack`.

    Raises :class:`~suar.errors.DataError` naming ``source`` and the first
    problem (schema violation, a phrase listed twice under one code).
    """
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise DataError(f"flag pack {source}: {where}: {error.message}")
    assert isinstance(document, dict)  # the schema says so
    lang: str = document["lang"]
    phrases: list[Phrase] = []
    seen: set[tuple[str, str]] = set()
    for section in ("flags", "context"):
        for code, entries in document.get(section, {}).items():
            for raw in entries:
                phrase = _phrase(raw, code, lang)
                key = (code, phrase.text.casefold())
                if key in seen:
                    raise DataError(f"flag pack {source}: {code}: {phrase.text!r} is listed twice")
                seen.add(key)
                phrases.append(phrase)
    markers = frozenset(fold(m).casefold() for m in document.get("markers", ()))
    return Pack(lang=lang, name=document["name"], phrases=tuple(phrases), markers=markers)


def _read(lang: str) -> tuple[bytes, Pack]:
    name = f"{lang}.json"
    try:
        raw = _flags_dir().joinpath(name).read_bytes()
    except OSError as exc:
        raise DataError(f"flag pack {name} is missing: {exc}") from exc
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"flag pack {name} is not valid UTF-8 JSON: {exc}") from exc
    pack = parse_pack(document, name)
    if pack.lang != lang:
        raise DataError(f"flag pack {name} declares lang {pack.lang!r}, not {lang!r}")
    return raw, pack


@lru_cache(maxsize=1)
def _loaded() -> tuple[tuple[bytes, Pack], ...]:
    loaded = tuple(_read(lang) for lang in PACK_LANGUAGES)
    logger.debug("loaded %d flag packs", len(loaded))
    return loaded


def load_packs() -> tuple[Pack, ...]:
    """Every shipped language pack, validated, in :data:`PACK_LANGUAGES` order."""
    return tuple(pack for _, pack in _loaded())


def pack_for(lang: str) -> Pack | None:
    """The pack of ``lang`` (BCP-47, exact tag), or None when Suar has none."""
    return next((p for p in load_packs() if p.lang == lang), None)


def pack_bytes() -> tuple[tuple[str, bytes], ...]:
    """The raw bytes of every pack file, by language: what the detector version hashes."""
    return tuple((pack.lang, raw) for raw, pack in _loaded())


def all_phrases() -> tuple[Phrase, ...]:
    """Every phrase of every pack."""
    return tuple(phrase for pack in load_packs() for phrase in pack.phrases)


# --- the taxonomy and scoring tables (data/scoring.json) ---------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FlagSpec(_Model):
    """One flag code of the taxonomy."""

    label: str
    family: str
    weight: float = Field(gt=0, lt=1)
    strong_weight: float | None = Field(default=None, gt=0, lt=1)
    weak_weight: float | None = Field(default=None, gt=0, lt=1)
    abroad: bool = False
    source: str

    @model_validator(mode="after")
    def _ordered(self) -> FlagSpec:
        if not self.weak <= self.weight <= self.strong:
            raise ValueError("weights must satisfy weak_weight <= weight <= strong_weight")
        return self

    @property
    def weak(self) -> float:
        """The weight of a weak flag of this code (the normal weight when none is set)."""
        return self.weak_weight if self.weak_weight is not None else self.weight

    @property
    def strong(self) -> float:
        """The weight of a telling phrase of this code (the normal weight when none is set)."""
        return self.strong_weight if self.strong_weight is not None else self.weight

    def weight_for(self, strength: Strength) -> float:
        """The weight of a flag of this code shown with ``strength``."""
        if strength == "normal":
            return self.weight
        return self.weak if strength == "weak" else self.strong


class IndicatorRule(_Model):
    """How one indicator kind becomes a flag."""

    flag: str
    strength: Strength = "normal"
    roles: dict[str, Strength] | None = None
    #: place ids (cities, business zones) so full of ordinary jobs that naming them is weak
    weak_places: list[str] = []


class Combination(_Model):
    """A bonus for red flags that together tell more than apart."""

    name: str
    bonus: float = Field(gt=0, lt=1)
    require: list[list[str]] = Field(min_length=1)
    min_groups: int | None = Field(default=None, ge=1)


class Thresholds(_Model):
    """The lowest risk of each level."""

    low: float = Field(gt=0, lt=1)
    medium: float = Field(gt=0, lt=1)
    high: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.low < self.medium < self.high:
            raise ValueError("thresholds must rise: low < medium < high")
        return self


class SalaryRule(_Model):
    """Reference pay by country and role, for the unrealistic-salary flag."""

    about: str
    ratio: float = Field(gt=1)
    roles: dict[Literal["entry", "unknown", "skilled"], float]
    usd_per_month: dict[str, float]
    currency_country: dict[str, str]

    @model_validator(mode="after")
    def _complete(self) -> SalaryRule:
        if (
            set(self.roles) != {"entry", "unknown", "skilled"}
            or "default" not in self.usd_per_month
        ):
            raise ValueError("salary needs the three roles and a 'default' reference pay")
        return self


class Messages(_Model):
    """English explanation templates; the Babel catalogue translates them."""

    levels: dict[Literal["none", "low", "medium", "high"], str]
    nothing: str
    flag: str
    one: str
    two: str
    more: tuple[str, str]
    model: str
    model_with: str


class ModelLink(_Model):
    """The lure model the scoring data was tuned with (see docs/model-card.md)."""

    about: str
    version: str = Field(pattern=r"^lure-[0-9a-f]{12}$")


class ScoringConfig(_Model):
    """The whole of ``data/scoring.json``."""

    about: str
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    thresholds: Thresholds
    families: dict[str, str]
    flags: dict[str, FlagSpec]
    indicators: dict[str, IndicatorRule]
    min_family_score: float = Field(ge=0, lt=1)
    max_risk_by_families: list[float]
    max_risk_without_abroad: float = Field(gt=0, le=1)
    warning_factor: float = Field(gt=0, le=1)
    max_flags_per_code: int = Field(ge=1)
    combinations: list[Combination]
    salary: SalaryRule
    messages: Messages
    model: ModelLink | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ScoringConfig:
        for code, spec in self.flags.items():
            if spec.family not in self.families:
                raise ValueError(f"flag {code}: unknown family {spec.family!r}")
        named = [rule.flag for rule in self.indicators.values()]
        named += [code for combo in self.combinations for group in combo.require for code in group]
        unknown = sorted(set(named) - set(self.flags))
        if unknown:
            raise ValueError(f"unknown flag codes: {', '.join(unknown)}")
        return self


def _read_config() -> tuple[bytes, ScoringConfig]:
    path = resources.files("suar.detect").joinpath("data", _SCORING_FILE)
    try:
        raw = path.read_bytes()
        config = ScoringConfig.model_validate(json.loads(raw.decode("utf-8")))
    except OSError as exc:
        raise DataError(f"{_SCORING_FILE} cannot be read: {exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{_SCORING_FILE} is not valid UTF-8 JSON: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "(top)"
        raise DataError(f"{_SCORING_FILE}: {where}: {first['msg']}") from exc
    return raw, config


@lru_cache(maxsize=1)
def scoring_document() -> tuple[bytes, ScoringConfig]:
    """The raw bytes of ``data/scoring.json`` and its validated content, checked against the packs."""
    raw, config = _read_config()
    for pack in load_packs():
        unknown = sorted(
            c for c in pack.codes if not c.startswith("context.") and c not in config.flags
        )
        if unknown:
            raise DataError(f"flag pack {pack.lang}.json uses unknown codes: {', '.join(unknown)}")
    return raw, config


def load_scoring() -> ScoringConfig:
    """The validated scoring configuration (cached); raises DataError when it is invalid."""
    return scoring_document()[1]
