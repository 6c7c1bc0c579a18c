"""A campaign's running aggregates: what it has posted, where, when, for how much, how risky."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from suar.domain import Level
from suar.store.campaigns import CampaignRecord
from suar.warn.linking import IndicatorLike, LinkKey
from suar.warn.tlp import Tlp, strictest


@dataclass(frozen=True, slots=True)
class PostToAssign:
    """What campaign assignment needs to know about one new, stored post."""

    post_id: int
    signature: npt.NDArray[np.uint32] | None
    bands: tuple[int, ...]
    links: tuple[LinkKey, ...]
    risk: float
    level: Level
    lang: str | None
    countries: tuple[str, ...]
    #: (place value, display name, country) of each destination named
    destinations: tuple[tuple[str, str, str], ...]
    #: salaries offered, in USD a month
    salaries: tuple[float, ...]
    seen_at: datetime
    tlp: str


def countries_of(country: str | None, indicators: Sequence[IndicatorLike]) -> tuple[str, ...]:
    """Where a post is from: the record's country, else the countries of its phone numbers."""
    if country:
        return (country.upper(),)
    found = {
        str(ind.attrs["country"]).upper()
        for ind in indicators
        if ind.kind == "phone" and isinstance(ind.attrs.get("country"), str)
    }
    return tuple(sorted(found))


def destinations_of(indicators: Sequence[IndicatorLike]) -> tuple[tuple[str, str, str], ...]:
    """The places a post names, as (value, name, country)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for ind in indicators:
        if ind.kind == "place":
            name = str(ind.attrs.get("name") or ind.value)
            seen.setdefault(ind.value, (ind.value, name, str(ind.attrs.get("country") or "")))
    return tuple(seen.values())


def salaries_of(indicators: Sequence[IndicatorLike], contexts: frozenset[str]) -> tuple[float, ...]:
    """The monthly USD pay a post offers (money in the given contexts)."""
    out = []
    for ind in indicators:
        if ind.kind != "money" or str(ind.attrs.get("context", "")) not in contexts:
            continue
        usd = ind.attrs.get("usd_per_month")
        if isinstance(usd, int | float) and not isinstance(usd, bool) and usd > 0:
            out.append(float(usd))
    return tuple(out)


@dataclass
class CampaignState:
    """A campaign's aggregates, changed in memory during a batch and written once at its end.

    Risk is the highest risk of any of its posts (a campaign that posted one
    high-risk lure is a high-risk campaign: its near-identical posts and
    shared contacts make the others the same recruiter's); the level goes
    with it.
    """

    id: int
    ref: str
    created_at: datetime
    first_seen: datetime
    last_seen: datetime
    post_count: int = 0
    risk: float = 0.0
    level: Level = Level.NONE
    salary_min_usd: float | None = None
    salary_max_usd: float | None = None
    tlp: Tlp = Tlp.CLEAR
    languages: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    destinations: dict[str, dict[str, Any]] = field(default_factory=dict)
    merged_into: int | None = None
    merged_at: datetime | None = None

    @classmethod
    def from_record(cls, record: CampaignRecord) -> CampaignState:
        """The state of a stored campaign."""
        summary = record.summary
        return cls(
            id=record.id,
            ref=record.ref,
            created_at=record.created_at,
            first_seen=record.first_seen,
            last_seen=record.last_seen,
            post_count=record.post_count,
            risk=record.risk,
            level=Level(record.level),
            salary_min_usd=record.salary_min_usd,
            salary_max_usd=record.salary_max_usd,
            tlp=Tlp(record.tlp),
            languages=Counter(_counts(summary.get("languages"))),
            countries=Counter(_counts(summary.get("countries"))),
            destinations={
                str(k): dict(v)
                for k, v in (summary.get("destinations") or {}).items()
                if isinstance(v, dict)
            },
            merged_into=record.merged_into,
            merged_at=record.merged_at,
        )

    def to_record(self) -> CampaignRecord:
        """The row to store."""
        return CampaignRecord(
            id=self.id,
            ref=self.ref,
            merged_into=self.merged_into,
            merged_at=self.merged_at,
            created_at=self.created_at,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            post_count=self.post_count,
            risk=round(self.risk, 4),
            level=self.level.value,
            salary_min_usd=self.salary_min_usd,
            salary_max_usd=self.salary_max_usd,
            tlp=self.tlp.value,
            summary={
                "languages": dict(self.languages.most_common()),
                "countries": dict(self.countries.most_common()),
                "destinations": self.destinations,
            },
        )

    def absorb(self, post: PostToAssign) -> None:
        """Count one more post."""
        self.post_count += 1
        self.first_seen = min(self.first_seen, post.seen_at)
        self.last_seen = max(self.last_seen, post.seen_at)
        if post.risk > self.risk:
            self.risk = post.risk
        if post.level.rank > self.level.rank:
            self.level = post.level
        tlp = Tlp(post.tlp)  # what strictest() of the two gives, without its loop
        if tlp.rank > self.tlp.rank:
            self.tlp = tlp
        if post.lang:
            self.languages[post.lang] += 1
        for country in post.countries:
            self.countries[country] += 1
        for value, name, country in post.destinations:
            entry = self.destinations.setdefault(
                value, {"name": name, "country": country, "posts": 0}
            )
            entry["posts"] = int(entry.get("posts", 0)) + 1
        if post.salaries:
            self._salary(min(post.salaries), max(post.salaries))

    def merge_from(self, other: CampaignState) -> None:
        """Take in everything ``other`` counted (it is being merged into this one)."""
        self.post_count += other.post_count
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        self.risk = max(self.risk, other.risk)
        if other.level.rank > self.level.rank:
            self.level = other.level
        self.tlp = strictest((self.tlp, other.tlp))
        self.languages.update(other.languages)
        self.countries.update(other.countries)
        for value, entry in other.destinations.items():
            mine = self.destinations.setdefault(value, {**entry, "posts": 0})
            mine["posts"] = int(mine.get("posts", 0)) + int(entry.get("posts", 0))
        if other.salary_min_usd is not None and other.salary_max_usd is not None:
            self._salary(other.salary_min_usd, other.salary_max_usd)

    def _salary(self, low: float, high: float) -> None:
        self.salary_min_usd = low if self.salary_min_usd is None else min(self.salary_min_usd, low)
        self.salary_max_usd = (
            high if self.salary_max_usd is None else max(self.salary_max_usd, high)
        )


def _counts(raw: Any) -> Mapping[str, int]:
    if not isinstance(raw, dict):
        return {}
    return {str(k): int(v) for k, v in raw.items() if isinstance(v, int)}
