"""Hints about where a post comes from, used to read national phone numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: Countries whose national formats are tried, in order, when nothing better is known:
#: the countries victims are recruited from and taken to.
REGION_COUNTRIES: Final[tuple[str, ...]] = (
    "ID",
    "MY",
    "PH",
    "VN",
    "TH",
    "KH",
    "LA",
    "MM",
    "SG",
    "CN",
    "KR",
    "JP",
    "TW",
    "HK",
)

#: Country implied by a language (BCP-47 primary subtag).
LANGUAGE_COUNTRY: Final[dict[str, str]] = {
    "id": "ID",
    "ms": "MY",
    "tl": "PH",
    "fil": "PH",
    "vi": "VN",
    "th": "TH",
    "km": "KH",
    "lo": "LA",
    "my": "MM",
    "zh": "CN",
    "ko": "KR",
    "ja": "JP",
}


@dataclass(frozen=True, slots=True)
class Hints:
    """What is known about a post besides its text.

    ``countries`` is the ordered list of regions whose national number formats
    are tried; the first is the most likely.
    """

    lang: str | None = None
    country: str | None = None
    countries: tuple[str, ...] = REGION_COUNTRIES

    @classmethod
    def build(
        cls,
        *,
        lang: str | None = None,
        country: str | None = None,
        default_country: str | None = None,
        script_lang: str | None = None,
    ) -> Hints:
        """Order the candidate regions: explicit country, the record's language, the script, the region."""
        ordered: list[str] = []
        for candidate in (
            country,
            default_country,
            LANGUAGE_COUNTRY.get((lang or "").split("-")[0].lower()),
            LANGUAGE_COUNTRY.get((script_lang or "").lower()),
        ):
            if candidate and candidate.upper() not in ordered:
                ordered.append(candidate.upper())
        ordered.extend(c for c in REGION_COUNTRIES if c not in ordered)
        return cls(lang=lang, country=(country or default_country), countries=tuple(ordered))
