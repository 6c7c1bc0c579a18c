"""Helpers the early-warning pages share: posts with their evidence, labels, cursors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy.orm import Session

from suar.store.evidence import latest_findings
from suar.store.findings import NewFinding
from suar.store.posts import PostRecord
from suar.web.ui.highlight import Mark, highlight


@dataclass(frozen=True, slots=True)
class ShownPost:
    """A post as a page shows it: text with evidence marked, finding, campaign."""

    post: PostRecord
    html: Markup
    finding: NewFinding | None
    campaign: str | None


def marks_of(finding: NewFinding | None) -> list[Mark]:
    """The spans to highlight in a post: its indicators first, then its red flags."""
    if finding is None:
        return []
    marks = [Mark(i.start, i.end, "ind", f"{i.kind}: {i.value}") for i in finding.indicators]
    marks += [Mark(f.start, f.end, "flag", f.code) for f in finding.flags]
    return marks


def shown_posts(
    session: Session, posts: Sequence[PostRecord], campaigns: dict[int, str] | None = None
) -> list[ShownPost]:
    """``posts`` with their latest findings and the evidence highlighted."""
    findings = latest_findings(session, [p.id for p in posts])
    refs = campaigns or {}
    return [
        ShownPost(
            post=p,
            html=highlight(p.text, marks_of(findings.get(p.id))),
            finding=findings.get(p.id),
            campaign=refs.get(p.id),
        )
        for p in posts
    ]
