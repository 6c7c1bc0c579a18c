"""Plain, immutable types shared by every pillar. No I/O here.

Spans are half-open ``(start, end)`` offsets in Unicode code points into the
*original* text of a post, so ``text[start:end]`` is always the evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, Literal

Span = tuple[int, int]

#: The fixed, documented list of indicator kinds (docs/indicators.md).
INDICATOR_KINDS: Final[tuple[str, ...]] = (
    "phone",
    "telegram",
    "whatsapp",
    "line",
    "wechat",
    "zalo",
    "viber",
    "kakaotalk",
    "facebook",
    "url",
    "domain",
    "email",
    "wallet",
    "money",
    "place",
    "age",
    "gender",
)

IndicatorKind = Literal[
    "phone",
    "telegram",
    "whatsapp",
    "line",
    "wechat",
    "zalo",
    "viber",
    "kakaotalk",
    "facebook",
    "url",
    "domain",
    "email",
    "wallet",
    "money",
    "place",
    "age",
    "gender",
]


class Level(StrEnum):
    """Risk levels, ordered none < low < medium < high."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK: Final[dict[Level, int]] = {
    Level.NONE: 0,
    Level.LOW: 1,
    Level.MEDIUM: 2,
    Level.HIGH: 3,
}


def _frozen_mapping(value: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True)
class Indicator:
    """Something an investigator can pivot on: a phone number, an account, a wallet...

    ``value`` is the normalised value (E.164 for phones, lower-case handle,
    registrable domain, ...); ``attrs`` holds kind-specific details such as
    ``country``, ``currency`` or ``usd_per_month``.
    """

    kind: IndicatorKind
    value: str
    span: Span
    attrs: Mapping[str, Any] = field(default_factory=_frozen_mapping)

    def __post_init__(self) -> None:
        if self.kind not in INDICATOR_KINDS:
            raise ValueError(f"unknown indicator kind {self.kind!r}")
        start, end = self.span
        if not 0 <= start < end:
            raise ValueError(f"invalid span {self.span!r}")
        if not isinstance(self.attrs, MappingProxyType):
            object.__setattr__(self, "attrs", _frozen_mapping(self.attrs))


@dataclass(frozen=True, slots=True)
class Flag:
    """A red flag: why a post looks like a lure, with the words that show it."""

    code: str
    label: str
    evidence: str
    span: Span
    weight: float


@dataclass(frozen=True, slots=True)
class Finding:
    """What the detector says about one post."""

    risk: float
    level: Level
    lang: str
    detector_version: str
    indicators: tuple[Indicator, ...] = ()
    flags: tuple[Flag, ...] = ()
    explanation: str = ""


@dataclass(frozen=True, slots=True)
class Post:
    """One post as read from a source, before detection."""

    text: str
    id: str | None = None
    url: str | None = None
    posted_at: str | None = None
    author: str | None = None
    lang: str | None = None
    country: str | None = None
    extra: Mapping[str, Any] = field(default_factory=_frozen_mapping)
