"""The lure model: a calibrated text classifier that adds to the red flags.

Public functions, for the scorer and the command line:

- :func:`lure_probability` — the model's calibrated probability that a post is
  a recruitment lure or job scam;
- :func:`combine` — one risk from that probability and the red-flag risk;
- :func:`assess` — both at once, with the level, abstaining in languages the
  model was not trained on;
- :func:`model_version` — the content hash of the shipped model, for the
  detector version.

The shipped model loads on first use, never at import.
"""

from __future__ import annotations

from suar.domain import Finding
from suar.model.lure_model import LureAssessment, LureModel, load_lure_model

__all__ = [
    "LureAssessment",
    "LureModel",
    "assess",
    "combine",
    "load_lure_model",
    "lure_probability",
    "model_version",
]


def lure_probability(text: str, finding: Finding) -> float:
    """The calibrated probability that ``text`` is a lure, given its red-flag ``finding``.

    ``text`` is the post as given to the detector (the original text, as in
    training); ``finding`` needs its language, indicators and flags (its risk
    is not used).
    """
    return load_lure_model().probability(text, finding)


def combine(model_p: float, flag_risk: float) -> float:
    """The combined risk from the model's probability and the red-flag risk (see
    :class:`suar.model.lure_model.Combination`); non-decreasing in both."""
    return load_lure_model().combine(model_p, flag_risk)


def assess(text: str, finding: Finding) -> LureAssessment:
    """Probability (None when the model abstains), combined risk and level of one post.

    ``finding.risk`` and ``finding.level`` must be the red flags' alone.
    """
    return load_lure_model().assess(text, finding)


def model_version() -> str:
    """``lure-<12 hex>``: the content hash of the shipped model."""
    return load_lure_model().version
