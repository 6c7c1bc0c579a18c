"""``suar model train``: fit, calibrate and tune the lure model by cross-validation.

The protocol (docs/model-card.md):

1. Only the training sets are read (:data:`suar.model.corpus.DATA_SETS` with
   role ``train``). There is no train split of DIFrauD job_scams here, so its
   validation split is the labelled core.
2. Stratified k-fold cross-validation (by data set and label, fixed seed)
   gives every training post an out-of-fold score. The hyper-parameters
   (regularisation, weight of character n-grams against words) are chosen on
   the out-of-fold PR-AUC of the selection sets.
3. Platt scaling and isotonic regression are fitted to the out-of-fold
   scores of the calibration sets; the lower cross-validated log loss wins.
4. The combination with the red-flag risk (:class:`Combination`) keeps the
   level thresholds of the scoring data. On out-of-fold scores: the model
   alone reaches level low where its probability reaches its best-F1
   threshold; when it may raise a post to medium by itself is a rule chosen
   by cross-validation (:mod:`suar.model.alerting`): the best F1 among the
   rules that raise no more legitimate training ads than the flags alone.
5. The final model is fitted on every training post.

The test split is never read here.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from suar.domain import Finding, Level
from suar.model.alerting import RuleData, choose_rule
from suar.model.calibration import Calibrator, choose_calibration
from suar.model.corpus import DATA_SETS, Example, load_data_set
from suar.model.design import count_matrix, design, finding_matrix, idf_weights
from suar.model.features import TextHashing
from suar.model.lure_model import (
    Combination,
    LureModel,
    Thresholds,
    content_version,
    logit,
)
from suar.model.metrics import best_f1_threshold, pr_auc, roc_auc

log = logging.getLogger(__name__)

#: Decimals kept of the fitted float64 parameters (finding coefficients, intercept, calibration).
DIGITS = 10

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """Everything that decides the fitted model besides the data."""

    seed: int = 0
    folds: int = 5
    hashing: TextHashing = TextHashing()
    #: candidate weights of character n-gram columns against word columns
    char_weights: tuple[float, ...] = (0.25, 0.5, 1.0)
    #: candidate inverse regularisation strengths of the logistic regression
    regularisation: tuple[float, ...] = (10.0, 30.0)
    #: scale of the finding features against the unit-norm text vector
    finding_scale: float = 0.5
    #: weight with which a confident "ordinary" lowers the flag risk: a policy, not
    #: fitted, since no labelled trafficking lure exists to measure what it costs
    down_weight: float = 0.0
    #: a flag code becomes a feature when it fires on at least this many training posts
    min_flag_posts: int = 3
    #: a language counts as covered when the training set has this many lures in it
    min_language_lures: int = 20
    #: sources whose out-of-fold PR-AUC picks the hyper-parameters (empty: all)
    selection_sources: tuple[str, ...] = ("job_scams_validation",)
    #: sources the calibration and the raise weight are fitted on (empty: all)
    calibration_sources: tuple[str, ...] = ("job_scams_validation", "ph_job_ads")


@dataclass(frozen=True, slots=True)
class TrainingPost:
    """One training post with its label, source, and its finding with the red-flag risk alone."""

    text: str
    label: int
    source: str
    finding: Finding


@dataclass
class TrainingResult:
    """The fitted model and what the cross-validation found."""

    model: LureModel
    summary: dict[str, Any]
    #: out-of-fold calibrated probabilities, one per training post
    oof_probability: FloatArray = field(repr=False)


def training_sets() -> list[str]:
    """Names of the data sets the shipped model is fitted on."""
    return [spec.name for spec in DATA_SETS if spec.role == "train"]


def load_training_posts(
    data_dir: Path, detect: Callable[[str], Finding], names: Sequence[str] | None = None
) -> list[TrainingPost]:
    """Read the training sets from ``data_dir`` and run the red-flag detector on every post."""
    wanted = list(names) if names is not None else training_sets()
    posts: list[TrainingPost] = []
    for spec in DATA_SETS:
        if spec.name not in wanted:
            continue
        examples: list[Example] = load_data_set(spec, data_dir)
        log.info("read %d posts of %s", len(examples), spec.name)
        posts += [TrainingPost(e.text, e.label, e.source, detect(e.text)) for e in examples]
    return posts


def _fit_linear(x: sp.csr_matrix, y: IntArray, c: float, seed: int) -> tuple[FloatArray, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    # liblinear's dual solver is fast when columns far outnumber posts, as here
    fitted = LogisticRegression(
        C=c,
        solver="liblinear",
        dual=True,
        class_weight="balanced",
        max_iter=5000,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fitted.fit(x, y)
    return np.asarray(fitted.coef_[0], dtype=np.float64), float(fitted.intercept_[0])


def _rows(sources: npt.NDArray[np.str_], wanted: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    mask = np.isin(sources, list(wanted)) if wanted else np.ones(len(sources), dtype=np.bool_)
    if not mask.any():  # none of the named sets is present (a synthetic set in tests)
        mask = np.ones(len(sources), dtype=np.bool_)
    return mask


def _folds(y: IntArray, sources: npt.NDArray[np.str_], config: TrainingConfig) -> list[IntArray]:
    from sklearn.model_selection import StratifiedKFold

    strata = np.array([f"{s}:{label}" for s, label in zip(sources, y, strict=True)])
    splitter = StratifiedKFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a small stratum gets fewer folds
        return [test for _, test in splitter.split(np.zeros(len(y)), strata)]


def _out_of_fold(
    counts: sp.csr_matrix,
    dense: FloatArray,
    y: IntArray,
    folds: list[IntArray],
    hashing: TextHashing,
    char_weight: float,
    c: float,
    config: TrainingConfig,
) -> FloatArray:
    scores = np.zeros(len(y))
    everything = np.arange(len(y))
    for test in folds:
        train = np.setdiff1d(everything, test)
        idf = idf_weights(counts[train], hashing, char_weight)
        coef, intercept = _fit_linear(
            design(counts[train], idf, dense[train], config.finding_scale), y[train], c, config.seed
        )
        scores[test] = (
            design(counts[test], idf, dense[test], config.finding_scale) @ coef + intercept
        )
    return scores


def _flag_codes(findings: Sequence[Finding], minimum: int) -> tuple[str, ...]:
    posts_per_code = Counter(code for f in findings for code in {flag.code for flag in f.flags})
    return tuple(sorted(code for code, n in posts_per_code.items() if n >= minimum))


def _languages(posts: Sequence[TrainingPost], minimum: int) -> tuple[str, ...]:
    lures = Counter(p.finding.lang.split("-")[0].lower() for p in posts if p.label == 1)
    return tuple(sorted(lang for lang, n in lures.items() if n >= minimum and lang != "und"))


def _raised(levels: Sequence[Level]) -> npt.NDArray[np.bool_]:
    return np.array([level.rank >= Level.MEDIUM.rank for level in levels], dtype=np.bool_)


def raise_weight(base_rate: float, operating: float, low: float) -> float:
    """The ``up`` weight that puts a post without flags at level low exactly when the model's
    probability reaches ``operating`` (its best-F1 threshold on out-of-fold scores)."""
    gap = logit(operating) - logit(base_rate)
    if gap <= 0:
        return 1.0
    return float(min(1.0, max(0.0, (logit(low) - logit(base_rate)) / gap)))


def fit(
    posts: Sequence[TrainingPost], thresholds: Thresholds, config: TrainingConfig = TrainingConfig()
) -> TrainingResult:
    """Fit the lure model on ``posts`` by the protocol of this module's docstring."""
    config.hashing.validate()
    y = np.array([p.label for p in posts], dtype=np.int64)
    if len(set(y.tolist())) < 2:
        raise ValueError("training needs both lures and legitimate posts")
    sources = np.array([p.source for p in posts])
    findings = [p.finding for p in posts]
    flag_codes = _flag_codes(findings, config.min_flag_posts)
    counts = count_matrix([p.text for p in posts], config.hashing)
    dense = finding_matrix(findings, flag_codes)
    folds = _folds(y, sources, config)
    selection = _rows(sources, config.selection_sources)

    grid: list[dict[str, Any]] = []
    best: tuple[float, float, float, FloatArray] | None = None
    for char_weight in config.char_weights:
        for c in config.regularisation:
            scores = _out_of_fold(counts, dense, y, folds, config.hashing, char_weight, c, config)
            ap = pr_auc(y[selection], np.zeros(0, dtype=np.bool_), scores[selection])
            auc = roc_auc(y[selection], np.zeros(0, dtype=np.bool_), scores[selection])
            grid.append(
                {
                    "char_weight": char_weight,
                    "C": c,
                    "pr_auc": round(ap, 4),
                    "roc_auc": round(auc, 4),
                }
            )
            log.info("char weight %s, C %s: out-of-fold PR-AUC %.4f", char_weight, c, ap)
            if best is None or ap > best[0]:
                best = (ap, char_weight, c, scores)
    assert best is not None
    _, char_weight, c, oof = best

    calibration_rows = _rows(sources, config.calibration_sources)
    calibrator, calibration_losses = choose_calibration(
        oof[calibration_rows], y[calibration_rows], seed=config.seed, folds=config.folds
    )
    calibrator = calibrator.rounded(DIGITS)
    oof_p = calibrator.apply(oof)
    base_rate = float(np.clip(y[calibration_rows].mean(), 1e-4, 1 - 1e-4))
    languages = _languages(posts, config.min_language_lures)
    applies = np.array([p.finding.lang.split("-")[0].lower() in languages for p in posts])
    flag_risk = np.array([f.risk for f in findings])
    operating = best_f1_threshold(y[selection], oof_p[selection])
    up = raise_weight(base_rate, operating, thresholds.low)
    uncapped = Combination(
        base_rate=base_rate,
        up=up,
        down=config.down_weight,
        alert=0.0,
        low=thresholds.low,
        medium=thresholds.medium,
    )
    fold = np.zeros(len(y), dtype=np.int64)
    for k, test in enumerate(folds):
        fold[test] = k
    rows = calibration_rows
    choice = choose_rule(
        RuleData(
            probability=oof_p[rows],
            flag_risk=flag_risk[rows],
            y=y[rows],
            sources=sources[rows],
            applies=applies[rows],
            fold=fold[rows],
            selection=selection[rows],
        ),
        uncapped=uncapped,
        thresholds=thresholds,
    )
    combination = Combination(
        base_rate=base_rate,
        up=up,
        down=config.down_weight,
        alert=choice.alert,
        low=thresholds.low,
        medium=thresholds.medium,
        needs_flags=choice.rule == "with_flags",
    )

    idf = idf_weights(counts, config.hashing, char_weight)
    coef, intercept = _fit_linear(
        design(counts, idf, dense, config.finding_scale), y, c, config.seed
    )
    n_text = config.hashing.n_features
    summary: dict[str, Any] = {
        "seed": config.seed,
        "folds": config.folds,
        "posts": {
            str(s): dict(sorted(Counter(y[sources == s].tolist()).items()))
            for s in np.unique(sources)
        },
        "hyperparameters": {
            "char_weight": char_weight,
            "C": c,
            "finding_scale": config.finding_scale,
        },
        "grid": grid,
        "calibration_log_loss": {k: round(v, 5) for k, v in calibration_losses.items()},
        "calibration_sources": sorted({str(s) for s in sources[calibration_rows]}),
        "base_rate": round(base_rate, 5),
        "alert_rule": {"chosen": choice.rule, "search": choice.table},
        "model_only_threshold": round(operating, 5),
        "cross_validation": _oof_summary(
            y, sources, oof_p, flag_risk, applies, combination, thresholds, operating, selection
        ),
    }
    model = _assemble(
        hashing=config.hashing,
        idf=idf,
        text_coef=coef[:n_text],
        finding_coef=coef[n_text:] * config.finding_scale,
        intercept=intercept,
        flag_codes=flag_codes,
        calibrator=calibrator,
        combination=combination,
        thresholds=thresholds,
        languages=languages,
        training=summary,
    )
    return TrainingResult(model=model, summary=summary, oof_probability=oof_p)


def _oof_summary(
    y: IntArray,
    sources: npt.NDArray[np.str_],
    oof_p: FloatArray,
    flag_risk: FloatArray,
    applies: npt.NDArray[np.bool_],
    combination: Combination,
    thresholds: Thresholds,
    operating: float,
    selection: npt.NDArray[np.bool_],
) -> dict[str, Any]:
    """Out-of-fold figures per source: what the report cites as the cross-validation result."""
    from suar.model.metrics import figures_with_intervals

    risk = np.array(
        [
            combination.combine(p, r) if use else r
            for p, r, use in zip(oof_p, flag_risk, applies, strict=True)
        ]
    )
    raised = _raised([thresholds.level(r) for r in risk])
    flags_raised = _raised([thresholds.level(r) for r in flag_risk])
    out: dict[str, Any] = {}
    for source in [*np.unique(sources).tolist(), "selection"]:
        rows = selection if source == "selection" else sources == source
        out[str(source)] = {
            "combined": figures_with_intervals(
                y[rows], raised[rows], risk[rows], seed=0, resamples=200
            ),
            "flags_only": figures_with_intervals(
                y[rows], flags_raised[rows], flag_risk[rows], seed=0, resamples=200
            ),
            "model_only": figures_with_intervals(
                y[rows], oof_p[rows] >= operating, oof_p[rows], seed=0, resamples=200
            ),
        }
    return out


def _assemble(
    *,
    hashing: TextHashing,
    idf: FloatArray,
    text_coef: FloatArray,
    finding_coef: FloatArray,
    intercept: float,
    flag_codes: tuple[str, ...],
    calibrator: Calibrator,
    combination: Combination,
    thresholds: Thresholds,
    languages: tuple[str, ...],
    training: dict[str, Any],
) -> LureModel:
    """The model with its content version computed exactly as loading will check it.

    The float64 parameters are rounded to :data:`DIGITS` decimals, so that a
    refit whose solver lands a few last bits away gives the same model.
    """
    draft = LureModel(
        hashing=hashing,
        idf=idf.astype(np.float32),
        text_coef=text_coef.astype(np.float32),
        finding_coef=np.round(finding_coef, DIGITS).astype(np.float64),
        intercept=round(float(intercept), DIGITS),
        flag_codes=flag_codes,
        calibrator=calibrator,
        combination=combination,
        thresholds=thresholds,
        languages=languages,
        metadata={"model_version": "lure-000000000000", "training": training},
    )
    described = json.loads(json.dumps(draft.describe()))
    settings = {
        k: v for k, v in described.items() if k not in ("model_version", "training", "format")
    }
    arrays: dict[str, npt.NDArray[Any]] = {
        "idf": draft.idf,
        "text_coef": draft.text_coef,
        "finding_coef": draft.finding_coef,
    }
    version = content_version(arrays, settings)
    return LureModel(
        hashing=hashing,
        idf=draft.idf,
        text_coef=draft.text_coef,
        finding_coef=draft.finding_coef,
        intercept=draft.intercept,
        flag_codes=flag_codes,
        calibrator=calibrator,
        combination=combination,
        thresholds=thresholds,
        languages=languages,
        metadata={"model_version": version, "training": json.loads(json.dumps(training))},
    )
