"""Zawgyi to Unicode conversion for Burmese text (placeholder: identity)."""

from __future__ import annotations


def convert_segments(run: str) -> list[tuple[int, int, str]]:
    """Convert a run of Zawgyi-encoded Burmese into Unicode segments.

    Returns ``(start, end, unicode_piece)`` triples with offsets local to ``run``,
    covering it in order.
    """
    return [(0, len(run), run)]
