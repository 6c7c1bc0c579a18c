"""Training: deterministic with a seed, honest about its folds, and `suar model train` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from suar.cli import app
from suar.model.detection import flag_detector, scoring_thresholds
from suar.model.lure_model import load_model_files
from suar.model.training import TrainingPost, fit

from .conftest import SMALL, synthetic_examples, write_jsonl


def _posts(seed: int) -> list[TrainingPost]:
    detector = flag_detector()
    return [
        TrainingPost(
            str(r["text"]), int(str(r["label"])), "synthetic", detector.detect(str(r["text"]))
        )
        for r in synthetic_examples(seed=seed)
    ]


def test_training_twice_with_the_same_seed_gives_the_same_model() -> None:
    posts = _posts(0)
    first = fit(posts, scoring_thresholds(), SMALL)
    second = fit(posts, scoring_thresholds(), SMALL)
    assert first.model.version == second.model.version
    assert np.array_equal(first.model.text_coef, second.model.text_coef)
    assert np.array_equal(first.oof_probability, second.oof_probability)


def test_a_trained_model_ranks_unseen_lures_above_ordinary_ads() -> None:
    model = fit(_posts(0), scoring_thresholds(), SMALL).model
    detector = flag_detector()
    unseen = synthetic_examples(seed=7, lures=10, ordinary=10)
    p: dict[int, list[float]] = {0: [], 1: []}
    for row in unseen:
        text = str(row["text"])
        p[int(str(row["label"]))].append(model.probability(text, detector.detect(text)))
    assert min(p[1]) > max(p[0])


def test_training_records_its_protocol_in_the_model() -> None:
    model = fit(_posts(0), scoring_thresholds(), SMALL).model
    training = model.metadata["training"]
    assert training["seed"] == 0 and training["folds"] == 5
    assert training["posts"] == {"synthetic": {"0": 60, "1": 30}}
    assert set(training["calibration_log_loss"]) == {"platt", "isotonic"}
    assert model.calibrator.kind in ("platt", "isotonic")
    assert model.languages == ("en",)


def test_training_refuses_a_single_class() -> None:
    posts = [p for p in _posts(0) if p.label == 0]
    with pytest.raises(ValueError, match="both lures and legitimate"):
        fit(posts, scoring_thresholds(), SMALL)


def test_model_train_command_writes_a_loadable_model(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "difraud_job_scams").mkdir(parents=True)
    (data / "ph_job_ads").mkdir()
    rows = synthetic_examples(seed=2, lures=25, ordinary=50)
    write_jsonl(data / "difraud_job_scams" / "job_scams_validation.jsonl.gz", rows)
    ads = [
        {"title": "Nurse", "job_desc": str(r["text"])}
        for r in synthetic_examples(seed=3, lures=0, ordinary=30)
    ]
    write_jsonl(data / "ph_job_ads" / "ph_jobs_union.jsonl.gz", ads)
    out = tmp_path / "model"
    result = CliRunner().invoke(
        app, ["model", "train", "--data-dir", str(data), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    model = load_model_files(out)
    assert model.version in result.stdout
    meta = json.loads((out / "lure_model.json").read_text(encoding="utf-8"))
    assert meta["training"]["posts"] == {
        "job_scams_validation": {"0": 50, "1": 25},
        "ph_job_ads": {"0": 30},
    }
