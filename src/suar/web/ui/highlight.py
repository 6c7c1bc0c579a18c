"""Evidence highlighted in a post's original text, at the spans the finding stored.

Spans are half-open code-point offsets into the original text (what Python
indexes). Every piece of text is escaped; overlapping spans are cut at every
boundary, and each piece is marked by the first span covering it
(indicators before red flags).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to highlight: ``css`` names its class, ``label`` is its tooltip."""

    start: int
    end: int
    css: str
    label: str


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    """``text`` escaped, with each marked span inside ``<mark class=... title=...>``.

    Spans outside the text are clipped; empty ones are ignored.
    """
    size = len(text)
    kept = [
        Mark(max(0, m.start), min(size, m.end), m.css, m.label)
        for m in marks
        if min(size, m.end) > max(0, m.start)
    ]
    if not kept:
        return Markup(escape(text))
    cuts = sorted({0, size, *(m.start for m in kept), *(m.end for m in kept)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[a:b])
        cover = next((m for m in kept if m.start <= a and b <= m.end), None)
        if cover is None:
            out.append(str(piece))
        else:
            out.append(
                f'<mark class="{escape(cover.css)}" title="{escape(cover.label)}">{piece}</mark>'
            )
    return Markup("".join(out))
