"""How often the detector raises real, legitimate posts to medium or high.

Runs :class:`suar.detect.Detector` over every legitimate data set in
``../shared/data`` (or ``--data DIR``) and prints, per data set, the number of
posts and the rate at level medium or above, with the red flags alone and with
the lure model combined as the detector combines it; the Indonesian SMS by label; and
precision and recall at level >= medium on the DIFrauD job-scam validation
split. Then the time spent in each detector stage and the overall posts/s.

    .venv/bin/python benchmarks/false_alarms.py [--data ../shared/data] [--show 5]
        [--with-country] [--json results.json]

``--show N`` prints the N highest-scoring posts of each legitimate set with
their explanation, to see what raises them. ``--with-country`` passes each
data set's country as the record's country (as ``suar scan --country`` would);
by default none is given, as in a plain ``suar scan``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from suar.detect import Detector
from suar.domain import Finding, Level

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_JOBTHAI_FOOTERS = ("งานแยกตามประเภทงาน", "Tags :")


@dataclass
class Record:
    """One post to scan, with its label when the data set has one (1 = fraud)."""

    text: str
    label: int | None = None
    country: str | None = None


@dataclass
class Tally:
    """Counts of one data set (or one label of it)."""

    name: str
    posts: int = 0
    raised: int = 0
    #: raised by the red flags alone, without the lure model
    flags_raised: int = 0
    top: list[tuple[float, str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.raised / self.posts if self.posts else 0.0

    @property
    def flags_rate(self) -> float:
        return self.flags_raised / self.posts if self.posts else 0.0


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def loker(data: Path) -> Iterator[Record]:
    for row in _csv_rows(data / "loker_id_jobs" / "job_postings_processed.csv.gz"):
        yield Record(row.get("Description") or "", country="ID")


def ph_jobs(data: Path) -> Iterator[Record]:
    with gzip.open(data / "ph_job_ads" / "ph_jobs_union.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            yield Record(json.loads(line).get("job_desc") or "", country="PH")


def jobthai(data: Path) -> Iterator[Record]:
    with gzip.open(data / "jobthai_th" / "jobthai_jobs.json.gz", "rt", encoding="utf-8") as fh:
        jobs = json.load(fh)["jobs"]
    seen: set[tuple[str, str]] = set()
    for job in jobs:
        key = (job.get("title") or "", job.get("company") or "")
        if key in seen:  # branch-by-branch copies of the same ad (see the README)
            continue
        seen.add(key)
        benefits = job.get("benefits") or ""
        for footer in _JOBTHAI_FOOTERS:
            cut = benefits.find(footer)
            if cut >= 0:
                benefits = benefits[:cut]
        parts = (job.get("title"), job.get("description"), benefits)
        yield Record("\n".join(p for p in parts if p), country="TH")


def itviec(data: Path) -> Iterator[Record]:
    with gzip.open(data / "itviec_vi" / "itviec-jobs.json.gz", "rt", encoding="utf-8") as fh:
        jobs = json.load(fh)
    for job in jobs:
        parts = (job.get(k) for k in ("title", "jobDescription", "requirements", "benefits"))
        yield Record("\n".join(p for p in parts if isinstance(p, str) and p), country="VN")


def jobstreet(data: Path) -> Iterator[Record]:
    countries = {"malaysia": "MY", "indonesia": "ID", "singapore": "SG"}
    for row in _csv_rows(data / "jobstreet_ds_my_id_sg" / "jobstreet_data.csv.gz"):
        country = countries.get((row.get("country") or "").strip().lower())
        yield Record(row.get("description") or "", country=country)


def indonesian_sms(data: Path) -> Iterator[Record]:
    for row in _csv_rows(data / "indonesian_sms_spam" / "dataset_sms_spam_v1.csv.gz"):
        yield Record(row.get("Teks") or "", label=int(row.get("Label") or 0), country="ID")


def difraud(data: Path) -> Iterator[Record]:
    path = data / "difraud_job_scams" / "job_scams_validation.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            yield Record(row["text"], label=int(row["label"]))


LEGITIMATE: dict[str, Callable[[Path], Iterator[Record]]] = {
    "loker_id_jobs": loker,
    "ph_job_ads": ph_jobs,
    "jobthai_th": jobthai,
    "itviec_vi": itviec,
    "jobstreet_ds_my_id_sg": jobstreet,
}
SMS_LABELS = {0: "normal", 1: "fraud", 2: "promo"}


def _raised(finding: Finding) -> bool:
    return finding.level.rank >= Level.MEDIUM.rank


def _note(tally: Tally, scanned: tuple[Finding, Finding], text: str, show: int) -> None:
    flags_only, finding = scanned
    tally.posts += 1
    tally.flags_raised += _raised(flags_only)
    if _raised(finding):
        tally.raised += 1
    if show:
        tally.top.append((finding.risk, finding.explanation, text[:300].replace("\n", " ")))
        tally.top.sort(key=lambda t: -t[0])
        del tally.top[show:]


def run(data: Path, *, show: int, with_country: bool) -> dict[str, object]:
    detector = Detector(profile=True)
    detector.detect("warm-up: load every pack and model before timing")
    detector.stage_seconds.clear()
    flags_detector = Detector(use_model=False)
    posts = 0
    started = time.perf_counter()
    tallies: list[Tally] = []

    def scan(record: Record) -> tuple[Finding, Finding]:
        nonlocal posts
        posts += 1
        country = record.country if with_country else None
        finding = detector.detect(record.text, country=country)
        return flags_detector.detect(record.text, lang=finding.lang, country=country), finding

    for name, reader in LEGITIMATE.items():
        tally = Tally(name)
        for record in reader(data):
            _note(tally, scan(record), record.text, show)
        tallies.append(tally)
    sms = {label: Tally(f"indonesian_sms_spam/{name}") for label, name in SMS_LABELS.items()}
    for record in indonesian_sms(data):
        _note(sms[record.label or 0], scan(record), record.text, 0)
    fraud = {0: Tally("difraud_job_scams/legitimate"), 1: Tally("difraud_job_scams/fraud")}
    for record in difraud(data):
        _note(fraud[record.label or 0], scan(record), record.text, show if record.label == 0 else 0)
    elapsed = time.perf_counter() - started

    rows = [*tallies, *sms.values(), *fraud.values()]
    print(f"{'data set':40} {'posts':>6} {'flags':>6} {'rate':>7} {'+model':>7} {'rate':>7}")
    for t in rows:
        print(
            f"{t.name:40} {t.posts:6d} {t.flags_raised:6d} {t.flags_rate:7.2%}"
            f" {t.raised:7d} {t.rate:7.2%}"
        )
    tp, fp = fraud[1].raised, fraud[0].raised
    fn = fraud[1].posts - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"\ndifraud_job_scams validation at level >= medium: precision {precision:.3f}"
        f" ({tp}/{tp + fp}), recall {recall:.3f} ({tp}/{tp + fn})"
    )
    print(f"\n{posts} posts in {elapsed:.1f} s: {posts / elapsed:,.0f} posts/s (one core)")
    print(f"{'stage':14} {'µs/post':>9} {'share':>7}")
    total = sum(detector.stage_seconds.values())
    for stage, seconds in sorted(detector.stage_seconds.items(), key=lambda s: -s[1]):
        print(f"{stage:14} {seconds / posts * 1e6:9.1f} {seconds / total:7.1%}")
    if show:
        for t in [*tallies, fraud[0]]:
            print(f"\n== {t.name}: highest risks")
            for risk, explanation, text in t.top:
                print(f"  {risk:.3f} {explanation}\n        {text}")
    return {
        "rates": {
            t.name: {
                "posts": t.posts,
                "raised": t.raised,
                "rate": t.rate,
                "raised_by_flags_alone": t.flags_raised,
            }
            for t in rows
        },
        "difraud_validation": {"precision": precision, "recall": recall, "tp": tp, "fp": fp},
        "posts_per_second": posts / elapsed,
        "stage_us_per_post": {s: v / posts * 1e6 for s, v in detector.stage_seconds.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data directory")
    parser.add_argument("--show", type=int, default=0, help="print the N riskiest posts per set")
    parser.add_argument("--with-country", action="store_true", help="pass each set's country")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data directory at {args.data}", file=sys.stderr)
        return 2
    figures = run(args.data, show=args.show, with_country=args.with_country)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    raise SystemExit(main())
