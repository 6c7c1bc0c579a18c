"""The shipped model: loads safely, scores, calibrates monotonically, combines with the flags."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar import model as lure
from suar.domain import Level
from suar.errors import DataError
from suar.model.calibration import Calibrator, fit_isotonic, fit_platt
from suar.model.design import count_matrix, finding_matrix, text_design
from suar.model.detection import flag_detector
from suar.model.lure_model import Combination, LureModel, load_lure_model, load_model_files

LURE = (
    "Work from home data entry job! Earn $500 per day, no experience needed,"
    " no interview. Start today, contact our hiring manager by text message."
)
ORDINARY = (
    "We are looking for a Senior Accountant to join our finance team in Makati."
    " Requirements: CPA licence, five years of experience in audit. We offer HMO"
    " coverage and a 13th-month pay. Apply through our careers page."
)


@pytest.fixture(scope="module")
def shipped() -> LureModel:
    return load_lure_model()


def test_the_shipped_model_is_small_and_not_a_pickle() -> None:
    data = Path(str(resources.files("suar.model").joinpath("data")))
    npz = data / "lure_model.npz"
    assert npz.read_bytes()[:2] == b"PK"  # a zip of .npy arrays, read with allow_pickle=False
    total = sum((data / n).stat().st_size for n in ("lure_model.npz", "lure_model.json"))
    assert total < 20 * 1024 * 1024


def test_the_shipped_model_loads_and_scores_a_lure_above_an_ordinary_ad(shipped: LureModel) -> None:
    detector = flag_detector()
    p_lure = lure.lure_probability(LURE, detector.detect(LURE))
    p_ordinary = lure.lure_probability(ORDINARY, detector.detect(ORDINARY))
    assert 0.0 < p_ordinary < p_lure < 1.0
    assert re.fullmatch(r"lure-[0-9a-f]{12}", lure.model_version())


def test_the_model_abstains_in_languages_it_has_no_lures_for(shipped: LureModel) -> None:
    thai = "รับสมัครพนักงานขายประจำสาขาสยาม เงินเดือน 15,000 - 20,000 บาท โทร 02-123-4567"
    finding = flag_detector().detect(thai)
    assert finding.lang == "th" and not shipped.applies_to("th")
    assessment = lure.assess(thai, finding)
    assert assessment.probability is None
    assert assessment.risk == finding.risk and assessment.level == finding.level


def test_scan_time_score_equals_the_training_design_matrix(shipped: LureModel) -> None:
    detector = flag_detector()
    texts = [LURE, ORDINARY, "", "ត្រូវការបុគ្គលិក Telegram @kh_job 1000$"]
    findings = [detector.detect(t) for t in texts]
    counts = count_matrix(texts, shipped.hashing)
    text_part = text_design(counts, shipped.idf.astype(np.float64)) @ shipped.text_coef.astype(
        np.float64
    )
    dense = finding_matrix(findings, shipped.flag_codes) @ shipped.finding_coef
    expected = text_part + dense + shipped.intercept
    actual = [shipped.raw_score(t, f) for t, f in zip(texts, findings, strict=True)]
    assert np.allclose(actual, expected, atol=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.floats(-30, 30), st.floats(-30, 30))
def test_the_shipped_calibration_is_monotone_in_the_raw_score(a: float, b: float) -> None:
    calibrator = load_lure_model().calibrator
    low, high = sorted((a, b))
    assert calibrator.probability(low) <= calibrator.probability(high)


@pytest.mark.parametrize("fit", [fit_platt, fit_isotonic])
def test_both_calibrations_are_monotone(
    fit: Callable[[npt.NDArray[np.float64], npt.NDArray[np.int64]], Calibrator],
) -> None:
    rng = np.random.default_rng(0)
    labels = (rng.random(400) < 0.2).astype(np.int64)
    scores = rng.normal(size=400) + 2 * labels
    calibrator: Calibrator = fit(scores, labels)
    grid = np.linspace(-10, 10, 2001)
    assert np.all(np.diff(calibrator.apply(grid)) >= 0)


_COMBINATION = Combination(base_rate=0.015, up=1.0, down=0.0, alert=0.9, low=0.2, medium=0.4)


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_combined_risk_rises_with_the_model_and_with_the_flags(
    p1: float, p2: float, r1: float, r2: float
) -> None:
    (pl, ph), (rl, rh) = sorted((p1, p2)), sorted((r1, r2))
    c = _COMBINATION.combine
    assert c(pl, rl) <= c(ph, rl) and c(pl, rl) <= c(pl, rh)
    assert 0.0 <= c(pl, rl) <= 1.0


def test_the_model_alone_lifts_a_post_to_low_but_alerts_only_when_very_sure() -> None:
    c = _COMBINATION
    assert 0.2 <= c.combine(0.6, 0.0) < 0.4  # no flags, a fairly sure model: low, not medium
    assert c.combine(0.5, 0.0) < c.combine(0.6, 0.0)  # and the order of posts is kept
    assert c.combine(0.95, 0.0) >= 0.4  # beyond the alert probability it may raise an alert
    assert c.combine(0.6, 0.45) > 0.45  # flags already at medium: the model adds to them
    assert c.combine(0.001, 0.45) == 0.45  # and with down = 0 it never lowers them
    assert c.combine(0.001, 0.0) == 0.0  # nor does a post it finds ordinary get any risk


def test_with_needs_flags_the_model_alone_never_alerts_on_a_post_without_red_flags() -> None:
    gated = replace(_COMBINATION, needs_flags=True)
    assert 0.2 <= gated.combine(0.99, 0.0) < 0.4  # however sure, no flag: low at most
    assert gated.combine(0.99, 0.1) >= 0.4  # one family of red flags counted: it may alert
    assert gated.combine(0.6, 0.1) < 0.4  # but still only beyond the alert probability
    assert gated.combine(0.5, 0.0) < gated.combine(0.6, 0.0)  # the order of posts is kept


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_the_gated_risk_still_rises_with_the_model_and_with_the_flags(
    p1: float, p2: float, r1: float, r2: float
) -> None:
    (pl, ph), (rl, rh) = sorted((p1, p2)), sorted((r1, r2))
    c = replace(_COMBINATION, needs_flags=True).combine
    assert c(pl, rl) <= c(ph, rl) and c(pl, rl) <= c(pl, rh)


def test_the_shipped_model_alerts_alone_only_by_the_rule_it_was_trained_with(
    shipped: LureModel,
) -> None:
    rule = shipped.metadata["training"]["alert_rule"]
    chosen = [row for row in rule["search"] if row["chosen"]]
    assert [row["rule"] for row in chosen] == [rule["chosen"]]
    assert shipped.combination.needs_flags is (rule["chosen"] == "with_flags")
    assert shipped.combination.alert == chosen[0]["alert"]
    cv = chosen[0]["cross_validated"]
    assert cv["legitimate_raised"] <= cv["legitimate_raised_by_flags"]


def _copy(shipped_dir: Path, tmp_path: Path) -> Path:
    for name in ("lure_model.npz", "lure_model.json"):
        (tmp_path / name).write_bytes((shipped_dir / name).read_bytes())
    return tmp_path


def test_a_tampered_or_broken_model_file_is_a_data_error(tmp_path: Path) -> None:
    shipped_dir = Path(str(resources.files("suar.model").joinpath("data")))
    copy = _copy(shipped_dir, tmp_path)
    assert load_model_files(copy).version == load_lure_model().version
    meta = json.loads((copy / "lure_model.json").read_text(encoding="utf-8"))
    meta["intercept"] += 1.0
    (copy / "lure_model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DataError, match="do not belong together"):
        load_model_files(copy)
    (copy / "lure_model.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="not valid UTF-8 JSON"):
        load_model_files(copy)
    _copy(shipped_dir, tmp_path)
    (copy / "lure_model.npz").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(DataError, match="cannot be read"):
        load_model_files(copy)


def test_levels_follow_the_thresholds_of_the_scoring_data(shipped: LureModel) -> None:
    from suar.model.detection import scoring_thresholds

    t = scoring_thresholds()
    assert (shipped.thresholds.low, shipped.thresholds.medium, shipped.thresholds.high) == (
        t.low,
        t.medium,
        t.high,
    )
    assert shipped.level(t.medium) is Level.MEDIUM and shipped.level(t.medium - 1e-4) is Level.LOW
