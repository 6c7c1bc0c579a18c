"""Digit strings read as phone numbers of a region, with ``phonenumbers``.

The rules for which region a national number belongs to, and which notations
without a trunk prefix are accepted, live here; finding the digit strings in a
post is :mod:`suar.detect.phones`' job. Results are cached by digit string:
the same numbers come back in post after post of a campaign.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

#: Fewest and most digits of a phone number, country code included.
MIN_DIGITS: Final = 8
MAX_DIGITS: Final = 15
_MOBILE_TYPES: Final = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


@lru_cache(maxsize=64)
def _possible_lengths(region: str) -> tuple[frozenset[int], str]:
    """Lengths a national significant number may have in ``region``, and its trunk prefix."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
    if meta is None or meta.general_desc is None:
        return frozenset(), ""
    return frozenset(meta.general_desc.possible_length or ()), meta.national_prefix or ""


class _Valid:
    """A valid number and its formats; whether it is a mobile is worked out when first asked."""

    __slots__ = ("number", "formatted", "_mobile")

    def __init__(self, number: phonenumbers.PhoneNumber) -> None:
        self.number = number
        region = phonenumbers.region_code_for_number(number)
        #: (region, E.164, national format), or ``None`` for a number of no region
        self.formatted: tuple[str, str, str] | None = (
            (
                region,
                phonenumbers.format_number(number, PhoneNumberFormat.E164),
                phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
            )
            if region
            else None
        )
        self._mobile: bool | None = None

    def mobile(self) -> bool:
        """Whether it is a mobile number (or one its plan cannot tell from a landline)."""
        if self._mobile is None:
            self._mobile = phonenumbers.number_type(self.number) in _MOBILE_TYPES
        return self._mobile


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


# The same digits are read against the same region for posts of every hint
# order, and for both passes of a run: parse each pair once.
@lru_cache(maxsize=2048)
def _international(digits: str) -> _Valid | None:
    """Read ``digits`` (country code first) as an international number."""
    number = _parse("+" + digits, None)
    if number is not None and phonenumbers.is_valid_number(number):
        return _Valid(number)
    # "+84 0912 345 678": a trunk 0 kept after the country code.
    for cc_len in (1, 2, 3):
        if digits[cc_len : cc_len + 1] == "0" and int(digits[:cc_len]) in (
            phonenumbers.COUNTRY_CODE_TO_REGION_CODE
        ):
            number = _parse("+" + digits[:cc_len] + digits[cc_len + 1 :], None)
            if number is not None and phonenumbers.is_valid_number(number):
                return _Valid(number)
    return None


@lru_cache(maxsize=2048)
def _national(digits: str, region: str) -> _Valid | None:
    lengths, trunk = _possible_lengths(region)
    nsn = len(digits) - len(trunk) if trunk and digits.startswith(trunk) else len(digits)
    if nsn not in lengths:
        return None
    number = _parse(digits, region)
    if number is None or not phonenumbers.is_valid_number_for_region(number, region):
        return None
    return _Valid(number)


@lru_cache(maxsize=2048)
def resolve(
    digits: str, international: bool, countries: tuple[str, ...], home: str | None, relaxed: bool
) -> tuple[str, str, str] | None:
    """(region, E.164, national format) of a digit string, or ``None`` when it is no number.

    ``international`` digits start with the country code and must be valid on
    their own. Otherwise ``countries`` are tried in order; a number of any but
    the first, and not of ``home``, is accepted only as a mobile unless
    ``relaxed`` (a label already says it is a number).
    """
    if international:
        number = _international(digits)
        return None if number is None else number.formatted
    if digits[0] == "0":
        for rank, region in enumerate(countries):
            number = _national(digits, region)
            # A foreign number written the national way is read only as a mobile:
            # landline plans overlap too much (a UK or Dutch number reads as Korean).
            if number is not None and (rank == 0 or relaxed or region == home or number.mobile()):
                return number.formatted
        return None
    # No trunk prefix: only the notations in which numbers are really written so.
    if len(digits) == 11 and digits[1] in "3456789" and digits[0] == "1" and "CN" in countries:
        number = _national(digits, "CN")
        if number is not None and number.mobile():
            return number.formatted
    if len(digits) == 8:
        for region in countries:
            if _possible_lengths(region)[1]:
                continue  # regions with a trunk prefix write it
            number = _national(digits, region)
            if number is not None and (relaxed or region == home or number.mobile()):
                return number.formatted
    if len(digits) >= 10:
        number = _international(digits)
        if number is not None:
            found = number.formatted
            if relaxed or (found is not None and found[0] in countries and number.mobile()):
                return found
    if relaxed:
        for region in countries:
            number = _national(digits, region)
            if number is not None:
                return number.formatted
    return None
