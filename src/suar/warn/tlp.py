"""TLP 2.0 labels: how far what the node holds may be shared, and the strictest of several."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final

from suar.errors import InputError


class Tlp(StrEnum):
    """The five TLP 2.0 labels, from the least to the most restricted."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @property
    def rank(self) -> int:
        """0 for CLEAR up to 4 for RED."""
        return _RANK[self]


_RANK: Final = {label: i for i, label in enumerate(Tlp)}


def parse_tlp(value: str) -> Tlp:
    """A TLP label from ``AMBER``, ``tlp:amber``, ``amber+strict`` ...; :class:`InputError` otherwise."""
    text = value.strip().upper().removeprefix("TLP:")
    try:
        return Tlp(text)
    except ValueError:
        raise InputError(
            f"unknown TLP label {value!r}: use one of {', '.join(label.value for label in Tlp)}"
        ) from None


def strictest(labels: Iterable[str | Tlp]) -> Tlp:
    """The most restricted of the labels (CLEAR for none): what is derived from them carries it."""
    best = Tlp.CLEAR
    for label in labels:
        tlp = Tlp(label)
        if tlp.rank > best.rank:
            best = tlp
    return best
