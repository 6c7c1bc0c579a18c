"""Every real data set in ../shared/data scans without a read error.

The data sets are read as they are published (gzip, CSV with multi-line
fields, JSON documents, JSON Lines); only records whose text fields are
genuinely empty in the data may give an error record. Skipped when the data
is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suar.cli import app

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# (path under DATA, text fields, id field)
DATA_SETS = [
    ("difraud_job_scams/job_scams_validation.jsonl.gz", ["text"], "id"),
    ("difraud_job_scams/job_scams_test.jsonl.gz", ["text"], "id"),
    ("difraud_sms/sms_validation.jsonl.gz", ["text"], "id"),
    ("indonesian_sms_spam/dataset_sms_spam_v1.csv.gz", ["Teks"], "id"),
    (
        "itviec_vi/itviec-jobs.json.gz",
        ["title", "jobDescription", "requirements", "benefits"],
        "jobKey",
    ),
    ("jobstreet_ds_my_id_sg/jobstreet_data.csv.gz", ["title", "description"], "url"),
    ("jobthai_th/jobthai_jobs.json.gz", ["title", "description", "benefits"], "id"),
    ("loker_id_jobs/job_postings_processed.csv.gz", ["Title", "Description"], "Job ID"),
    ("ph_job_ads/ph_jobs_union.jsonl.gz", ["title", "job_desc"], "link"),
]

pytestmark = pytest.mark.data


@pytest.mark.parametrize(
    ("relative", "fields", "id_field"), DATA_SETS, ids=[d[0].split("/")[0] for d in DATA_SETS]
)
def test_real_data_set_scans_without_read_errors(
    relative: str, fields: list[str], id_field: str
) -> None:
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is optional)")
    args = ["scan", str(path), "--format", "jsonl", "--id-field", id_field]
    for field in fields:
        args += ["--text-field", field]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    findings = [r for r in records if r["type"] == "finding"]
    unexpected = [
        r for r in records if r["type"] == "error" and "empty text field" not in r["error"]
    ]
    assert not unexpected, unexpected[:3]
    assert len(findings) >= 0.9 * len(records) > 0
