"""The fitted lure model: scores a post, calibrates the score, combines it with the red flags.

The artefact is two files side by side: ``lure_model.npz`` holds the numeric
arrays (read with ``allow_pickle=False``, so loading it cannot run code) and
``lure_model.json`` the rest: the hashing settings, the flag codes the model
knows, the calibration, how its probability combines with the flag risk, the
level thresholds and a summary of its training. The shipped pair lives in
``suar/model/data`` and is loaded on first use.

The raw score of a post is a linear function of its hashed text units and of
its detector evidence. The text part is ``sum_j c_j idf_j w_j / sqrt(sum_j
c_j idf_j^2)`` over the columns ``j`` it hits ``c_j`` times: a tf-idf vector
normalised by occurrences, which needs no sort or deduplication per post.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from suar.domain import Finding, Level
from suar.errors import DataError
from suar.model.calibration import EPSILON, Calibrator
from suar.model.features import TextHashing, finding_feature_names, finding_features, ngram_columns

FloatArray = npt.NDArray[np.float64]

MODEL_STEM: Final = "lure_model"
FORMAT: Final = "suar-lure-model/1"
_ARRAYS: Final = ("idf", "text_coef", "finding_coef")


def logit(p: float) -> float:
    """Log-odds of ``p``, with ``p`` kept within [EPSILON, 1 - EPSILON]."""
    p = min(max(p, EPSILON), 1.0 - EPSILON)
    return math.log(p / (1.0 - p))


def sigmoid(z: float) -> float:
    """The inverse of :func:`logit`."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True, slots=True)
class Combination:
    """How the model's probability moves the red-flag risk.

    The flag risk (or the model's base rate, when the flags say less) gives the
    prior odds; the model's odds against its base rate are the evidence,
    weighed by ``up`` when they point to a lure::

        logit(risk) = logit(max(flag_risk, base_rate)) + up * (logit(p) - logit(base_rate))

    When they point away from one (``p <= base_rate``) the risk is the flag
    risk, lowered by the same formula with ``down`` instead of ``up``, and
    never raised.

    One guard on top: while the flags keep a post below ``medium``, the model
    alone may lift it into level low but not to an alert, unless its
    probability reaches ``alert`` and, with ``needs_flags``, the flags gave
    the post some risk: otherwise the risk above ``low`` is squeezed into
    ``[low, medium)``, which keeps the order of posts. With no flag the risk
    is the model's own opinion (damped by ``up``). The rule is chosen by
    cross-validation (:mod:`suar.model.alerting`). The shipped model has
    ``down = 0``: it never lowers the flag risk, because no labelled
    trafficking lure exists to measure what lowering it would cost, and on
    the synthetic lures of the benchmark corpus it would lower some.
    """

    base_rate: float
    up: float
    down: float
    #: model probability from which the model alone may raise a post to medium or above
    alert: float
    #: the risks of levels low and medium (from the scoring data)
    low: float
    medium: float
    #: the model alone may raise a post to medium only when the flag risk is above 0
    needs_flags: bool = False

    def __post_init__(self) -> None:
        if not 0.0 < self.base_rate < 1.0:
            raise ValueError("base_rate must be in (0, 1)")
        if not (0.0 <= self.up <= 1.0 and 0.0 <= self.down <= 1.0):
            raise ValueError("the weights up and down must be in [0, 1]")
        if not (0.0 <= self.alert <= 1.0 and 0.0 < self.low < self.medium < 1.0):
            raise ValueError("alert must be in [0, 1] and 0 < low < medium < 1")

    def combine(self, model_p: float, flag_risk: float) -> float:
        """One risk in [0, 1] from the model's probability and the red-flag risk.

        Non-decreasing in both. Equal to ``flag_risk`` (up to rounding) when
        the model's probability is at or below its base rate and ``down`` is 0.
        """
        delta = logit(model_p) - logit(self.base_rate)
        prior = max(flag_risk, self.base_rate)
        if delta <= 0:
            # pointing away from a lure it may lower the flag risk, never raise it
            return round(min(flag_risk, sigmoid(logit(prior) + self.down * delta)), 4)
        risk = sigmoid(logit(prior) + self.up * delta)
        gated = model_p < self.alert or (self.needs_flags and flag_risk <= 0.0)
        if flag_risk < self.medium and gated and risk > self.low:
            room = self.medium - 1e-4 - self.low
            # squeezed, but never below the flag risk: the model does not lower it
            risk = max(flag_risk, self.low + room * (risk - self.low) / (1.0 - self.low))
        return round(risk, 4)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The lowest risk of each level (copied from the scoring data when the model was trained)."""

    low: float
    medium: float
    high: float

    def level(self, risk: float) -> Level:
        """The level ``risk`` falls in."""
        if risk >= self.high:
            return Level.HIGH
        if risk >= self.medium:
            return Level.MEDIUM
        if risk >= self.low:
            return Level.LOW
        return Level.NONE


@dataclass(frozen=True, slots=True)
class LureAssessment:
    """The model's say on one post: its probability (None when it abstains), risk and level."""

    probability: float | None
    risk: float
    level: Level


@dataclass(frozen=True)
class LureModel:
    """A fitted lure model. Build it with :func:`load_lure_model` or by training."""

    hashing: TextHashing
    idf: npt.NDArray[np.float32]
    text_coef: npt.NDArray[np.float32]
    #: coefficients of the finding features, already multiplied by their scale
    finding_coef: FloatArray
    intercept: float
    flag_codes: tuple[str, ...]
    calibrator: Calibrator
    combination: Combination
    thresholds: Thresholds
    #: languages (BCP-47 primary subtags) with labelled lures in training: elsewhere it abstains
    languages: tuple[str, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)
    # per column, in float32 to halve the memory each post's gathers touch
    _weights: npt.NDArray[np.float32] = field(init=False, repr=False)
    _idf2: npt.NDArray[np.float32] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = self.hashing.n_features
        if self.idf.shape != (n,) or self.text_coef.shape != (n,):
            raise ValueError(f"text arrays must have {n} entries")
        if self.finding_coef.shape != (len(finding_feature_names(self.flag_codes)),):
            raise ValueError("finding coefficients do not match the finding features")
        for name in ("idf", "text_coef", "finding_coef"):
            if not np.all(np.isfinite(getattr(self, name))):
                raise ValueError(f"{name} holds a non-finite number")
        idf = self.idf.astype(np.float64)
        weights = (idf * self.text_coef.astype(np.float64)).astype(np.float32)
        object.__setattr__(self, "_weights", weights)
        object.__setattr__(self, "_idf2", (idf * idf).astype(np.float32))

    @property
    def version(self) -> str:
        """A short content hash of the model: it changes whenever any array or setting does."""
        return str(self.metadata.get("model_version", "untrained"))

    def raw_score(self, text: str, finding: Finding) -> float:
        """The uncalibrated score (log-odds scale, before calibration) of one post."""
        columns = ngram_columns(text, self.hashing)
        norm = float(self._idf2[columns].sum(dtype=np.float64))
        weighted = float(self._weights[columns].sum(dtype=np.float64))
        text_part = weighted / math.sqrt(norm) if norm > 0 else 0.0
        dense = float(finding_features(finding, self.flag_codes) @ self.finding_coef)
        return text_part + dense + self.intercept

    def probability(self, text: str, finding: Finding) -> float:
        """The calibrated probability that the post is a lure or job scam."""
        return self.calibrator.probability(self.raw_score(text, finding))

    def predict_proba(self, texts: Sequence[str], findings: Sequence[Finding]) -> FloatArray:
        """Calibrated probabilities of many posts (same order)."""
        if len(texts) != len(findings):
            raise ValueError("texts and findings differ in length")
        raw = np.array([self.raw_score(t, f) for t, f in zip(texts, findings, strict=True)])
        return self.calibrator.apply(raw)

    def applies_to(self, lang: str | None) -> bool:
        """Whether the model speaks for posts in ``lang`` (it saw labelled lures in it)."""
        primary = (lang or "").split("-")[0].lower()
        return primary in self.languages

    def combine(self, model_p: float, flag_risk: float) -> float:
        """The combined risk (see :class:`Combination`)."""
        return self.combination.combine(model_p, flag_risk)

    def level(self, risk: float) -> Level:
        """The level of a combined risk."""
        return self.thresholds.level(risk)

    def assess(self, text: str, finding: Finding) -> LureAssessment:
        """Probability, combined risk and level for a post whose flags are in ``finding``.

        ``finding.risk`` must be the red-flag risk alone. In a language the
        model was not trained on it abstains: the risk is the flag risk.
        """
        if not self.applies_to(finding.lang):
            return LureAssessment(None, finding.risk, self.level(finding.risk))
        p = self.probability(text, finding)
        risk = self.combine(p, finding.risk)
        return LureAssessment(p, risk, self.level(risk))

    # --- files ---------------------------------------------------------------------------

    def to_files(self, directory: Path) -> tuple[Path, Path]:
        """Write ``lure_model.npz`` and ``lure_model.json`` into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {
            "idf": self.idf.astype(np.float32),
            "text_coef": self.text_coef.astype(np.float32),
            "finding_coef": self.finding_coef.astype(np.float64),
        }
        npz = directory / f"{MODEL_STEM}.npz"
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        npz.write_bytes(buffer.getvalue())
        meta = directory / f"{MODEL_STEM}.json"
        meta.write_text(
            json.dumps(self.describe(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return npz, meta

    def describe(self) -> dict[str, Any]:
        """Everything but the arrays, as the JSON metadata file holds it."""
        return {
            "format": FORMAT,
            "model_version": self.version,
            "hashing": {
                "bits": self.hashing.bits,
                "min_n": self.hashing.min_n,
                "max_n": self.hashing.max_n,
                "words": self.hashing.words,
                "max_chars": self.hashing.max_chars,
            },
            "intercept": self.intercept,
            "flag_codes": list(self.flag_codes),
            "finding_features": list(finding_feature_names(self.flag_codes)),
            "calibration": self.calibrator.to_json(),
            "combination": {
                "base_rate": self.combination.base_rate,
                "up": self.combination.up,
                "down": self.combination.down,
                "alert": self.combination.alert,
                "low": self.combination.low,
                "medium": self.combination.medium,
                "needs_flags": self.combination.needs_flags,
            },
            "thresholds": {
                "low": self.thresholds.low,
                "medium": self.thresholds.medium,
                "high": self.thresholds.high,
            },
            "languages": list(self.languages),
            "training": dict(self.metadata.get("training", {})),
        }


def content_version(arrays: Mapping[str, npt.NDArray[Any]], settings: Mapping[str, Any]) -> str:
    """``lure-<12 hex>``: a hash of the arrays and of the settings that shape the scores."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode() + b"\0" + np.ascontiguousarray(arrays[name]).tobytes())
    digest.update(json.dumps(settings, sort_keys=True, separators=(",", ":")).encode())
    return "lure-" + digest.hexdigest()[:12]


# --- metadata validation ---------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Hashing(_Strict):
    bits: int = Field(ge=8, le=24)
    min_n: int = Field(ge=1, le=8)
    max_n: int = Field(ge=1, le=8)
    words: bool
    max_chars: int = Field(ge=16)


class _Combination(_Strict):
    base_rate: float = Field(gt=0, lt=1)
    up: float = Field(ge=0, le=1)
    down: float = Field(ge=0, le=1)
    alert: float = Field(ge=0, le=1)
    low: float = Field(gt=0, lt=1)
    medium: float = Field(gt=0, lt=1)
    needs_flags: bool


class _Thresholds(_Strict):
    low: float = Field(gt=0, lt=1)
    medium: float = Field(gt=0, lt=1)
    high: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> _Thresholds:
        if not self.low < self.medium < self.high:
            raise ValueError("thresholds must rise: low < medium < high")
        return self


class _Metadata(_Strict):
    format: str
    model_version: str = Field(pattern=r"^lure-[0-9a-f]{12}$")
    hashing: _Hashing
    intercept: float
    flag_codes: list[str]
    finding_features: list[str]
    calibration: dict[str, Any]
    combination: _Combination
    thresholds: _Thresholds
    languages: list[str]
    training: dict[str, Any]

    @model_validator(mode="after")
    def _known_format(self) -> _Metadata:
        if self.format != FORMAT:
            raise ValueError(f"unknown format {self.format!r} (expected {FORMAT!r})")
        if self.finding_features != list(finding_feature_names(self.flag_codes)):
            raise ValueError("finding_features do not match this version of the features")
        return self


def model_from_bytes(meta_bytes: bytes, npz_bytes: bytes, *, name: str = MODEL_STEM) -> LureModel:
    """Build a model from the contents of its JSON and NPZ files.

    Raises :class:`DataError` naming the problem when either is malformed,
    when they do not belong together, or when the arrays do not match the
    content hash recorded in the JSON.
    """
    try:
        meta = _Metadata.model_validate(json.loads(meta_bytes.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{name}.json is not valid UTF-8 JSON: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"]) or "(top)"
        raise DataError(f"{name}.json: {where}: {first['msg']}") from exc
    try:
        with np.load(io.BytesIO(npz_bytes), allow_pickle=False) as npz:
            arrays = {key: np.asarray(npz[key]) for key in _ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(f"{name}.npz cannot be read: {exc}") from exc
    hashing = TextHashing(**meta.hashing.model_dump())
    settings = meta.model_dump(exclude={"model_version", "training", "format"})
    if content_version(arrays, settings) != meta.model_version:
        raise DataError(f"{name}.npz and {name}.json do not belong together (content hash differs)")
    try:
        hashing.validate()
        return LureModel(
            hashing=hashing,
            idf=arrays["idf"].astype(np.float32),
            text_coef=arrays["text_coef"].astype(np.float32),
            finding_coef=arrays["finding_coef"].astype(np.float64),
            intercept=meta.intercept,
            flag_codes=tuple(meta.flag_codes),
            calibrator=Calibrator.from_json(meta.calibration),
            combination=Combination(**meta.combination.model_dump()),
            thresholds=Thresholds(**meta.thresholds.model_dump()),
            languages=tuple(meta.languages),
            metadata={"model_version": meta.model_version, "training": meta.training},
        )
    except ValueError as exc:
        raise DataError(f"{name}: {exc}") from exc


def load_model_files(directory: Path) -> LureModel:
    """The model stored in ``directory`` (by :meth:`LureModel.to_files`)."""
    try:
        meta = (directory / f"{MODEL_STEM}.json").read_bytes()
        npz = (directory / f"{MODEL_STEM}.npz").read_bytes()
    except OSError as exc:
        raise DataError(f"lure model in {directory} cannot be read: {exc}") from exc
    return model_from_bytes(meta, npz)


@lru_cache(maxsize=1)
def load_lure_model() -> LureModel:
    """The lure model shipped in the package (loaded once, on first use)."""
    data = resources.files("suar.model").joinpath("data")
    try:
        meta = data.joinpath(f"{MODEL_STEM}.json").read_bytes()
        npz = data.joinpath(f"{MODEL_STEM}.npz").read_bytes()
    except OSError as exc:
        raise DataError(
            f"the shipped lure model cannot be read ({exc}); rebuild it with `suar model train`"
        ) from exc
    return model_from_bytes(meta, npz)
