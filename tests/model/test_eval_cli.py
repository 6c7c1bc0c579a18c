"""`suar model eval`: the JSON figures, the HTML report, and clear errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from suar.cli import app

from .conftest import DATA, synthetic_examples, write_jsonl

runner = CliRunner()
TOP_LEVEL = ("precision", "recall", "f1", "false_positive_rate", "roc_auc", "pr_auc")


def _eval(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["model", "eval", *args, "--format", "json", "--resamples", "50"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_eval_json_has_every_figure_with_an_interval_at_the_top_level(labelled_file: Path) -> None:
    data = _eval(str(labelled_file))
    assert data["posts"] == 90 and data["lures"] == 30
    intervals = data["ci95"]
    assert isinstance(intervals, dict)
    for key in TOP_LEVEL:
        assert key in data and key in intervals
    for block in ("flags_only", "model_only"):
        assert set(TOP_LEVEL) <= set(data[block])
    per_language = data["per_language"]
    assert isinstance(per_language, dict) and set(per_language) == {"en"}
    assert set(TOP_LEVEL) <= set(per_language["en"]) and "ci95" in per_language["en"]
    confusion = data["confusion_by_level"]
    assert isinstance(confusion, dict) and set(confusion) == {"none", "low", "medium", "high"}
    assert sum(c["lures"] for c in confusion.values()) == 30


def test_a_set_of_legitimate_ads_reports_its_false_alarm_rate(tmp_path: Path) -> None:
    ads = [{"title": "Nurse", "body": str(r["text"])} for r in synthetic_examples(seed=4, lures=0)]
    path = write_jsonl(tmp_path / "ads.jsonl.gz", ads)
    data = _eval(str(path), "--text-field", "title", "--text-field", "body", "--assume-label", "0")
    assert data["lures"] == 0 and data["recall"] is None
    assert data["false_positive_rate"] is not None


def test_labels_can_be_named_by_field_and_value(tmp_path: Path) -> None:
    rows = [
        {"Teks": str(r["text"]), "Label": "2" if r["label"] else "0"} for r in synthetic_examples()
    ]
    path = write_jsonl(tmp_path / "sms.jsonl", rows)
    data = _eval(str(path), "--text-field", "Teks", "--label-field", "Label", "--positive", "2")
    assert data["lures"] == 30


def test_the_report_writes_html_with_a_pr_curve_and_a_calibration_plot(
    labelled_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["model", "eval", str(labelled_file), "--report", str(out), "--resamples", "20"]
    )
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<img src="pr_curve.png"' in page and '<img src="calibration.png"' in page
    assert "Fraud-BERT" in page and "Per language" in page
    for name in ("pr_curve.png", "calibration.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (lambda d: d / "missing.jsonl", [], "no such file"),
        (lambda d: d, [], "is a directory"),
        (
            lambda d: write_jsonl(d / "nolabel.jsonl", [{"text": "a post without a label"}]),
            [],
            "no label in field 'label'",
        ),
        (
            lambda d: write_jsonl(d / "notext.jsonl", [{"body": "x", "label": 1}]),
            [],
            "no post with text",
        ),
        (
            lambda d: write_jsonl(d / "ok.jsonl", [{"text": "x", "label": 1}]),
            ["--format", "xml"],
            "xml",
        ),
    ],
    ids=["missing", "directory", "no-label", "no-text", "bad-format"],
)
def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, make: Callable[[Path], Path], args: list[str], message: str
) -> None:
    path = make(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "suar", "model", "eval", str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.data
@pytest.mark.slow
def test_the_test_split_figures_reproduce() -> None:
    """The figures docs/model-card.md quotes come out of `suar model eval` on the test split."""
    path = DATA / "difraud_job_scams" / "job_scams_test.jsonl.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is optional)")
    data = _eval(str(path))
    assert data["posts"] == 1430 and data["lures"] == 60
    assert data["roc_auc"] is not None and data["roc_auc"] > 0.7
    assert data["false_positive_rate"] is not None and data["false_positive_rate"] < 0.01
