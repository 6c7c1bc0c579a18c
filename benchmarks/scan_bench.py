"""Benchmark ``suar scan`` against the usual fake-job-post detector (``make bench``).

One run measures, on the same generated posts (see ``corpus.py``):

1. ``suar scan`` throughput, end to end through the code path of the CLI:
   :func:`suar.reader.read_posts` → :func:`suar.scan.scan` (the
   :class:`~suar.detect.Detector`) → one JSON line per record written to
   ``/dev/null``; single process, one post at a time; then the ``suar scan``
   command itself, with ``--workers 0`` (the default: every core for a large
   input) and ``--workers 1``, start-up included — the target compares the
   default command with the pipeline;
2. its peak memory (RSS) and the time of each stage: reading and parsing,
   whatever stages the Detector reports in ``stage_seconds`` (normalize,
   language, each extractor, flags, score), and serialisation;
3. a scikit-learn ``Pipeline(TfidfVectorizer, LogisticRegression)`` trained on
   the first posts of the corpus (lure vs ordinary) and timed on
   ``predict_proba`` over all of them, reading the same JSONL with the same
   reader and writing one JSON line per post to ``/dev/null`` — with word
   1–2-grams (the usual setting; the target) and char 2–4-grams;
4. memory growth of a streaming scan: RSS after 10,000 posts and after N posts
   generated on the fly by a child process (nothing is held in memory).

Each measurement runs in a fresh process, so peak RSS belongs to that step
alone. Results are printed as a table (or JSON with ``--json``) and saved under
``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import logging
import multiprocessing
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, TypeVar

import corpus

log = logging.getLogger("scan_bench")

RESULTS_DIR: Final = Path(__file__).resolve().parent / "results"
MEMORY_BASELINE_POSTS: Final = 10_000
MEMORY_TARGET_MB: Final = 50.0
PIPELINE_BATCH: Final = 1000
#: The two TF-IDF settings: name → (analyzer, n-gram range).
PIPELINES: Final[dict[str, tuple[str, tuple[int, int]]]] = {
    "tfidf-word-1-2+lr": ("word", (1, 2)),
    "tfidf-char-2-4+lr": ("char_wb", (2, 4)),
}
TARGET_PIPELINE: Final = "tfidf-word-1-2+lr"

T = TypeVar("T")


# --- Measuring --------------------------------------------------------------


def rss_mb() -> float:
    """Resident set size of this process now, in MB (Linux /proc; else the peak)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


class TimedIterator(Iterator[T]):
    """Wraps an iterator and adds up the time spent producing its items."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = iter(items)
        self.seconds = 0.0
        #: the item produced last
        self.last: T | None = None

    def __iter__(self) -> TimedIterator[T]:
        return self

    def __next__(self) -> T:
        start = time.perf_counter()
        try:
            self.last = next(self._items)
            return self.last
        finally:
            self.seconds += time.perf_counter() - start


def _stage_rows(seconds: dict[str, float], total: float) -> list[dict[str, Any]]:
    return [
        {"stage": name, "seconds": round(s, 4), "share": round(s / total, 4) if total else 0.0}
        for name, s in seconds.items()
    ]


def _ordered_detector_stages(stage_seconds: dict[str, float], extractors: list[str]) -> list[str]:
    """Detector stages in pipeline order; stages added later keep their own order at the end."""
    known = ["normalize", "language", *extractors, "flags", "score"]
    ordered = [s for s in known if s in stage_seconds]
    return ordered + [s for s in stage_seconds if s not in ordered]


def _progress(what: str, done: int, total: int) -> None:
    if done and total and done % max(1, total // 5) == 0:
        log.info("%s: %d/%d posts", what, done, total)


# --- Phases (each runs in a fresh process) ------------------------------------


def phase_scan(path: str, posts: int, profile_to: str | None) -> dict[str, Any]:
    """``suar scan`` over ``path``: throughput, peak RSS and seconds per stage."""
    _setup_logging()
    from suar.detect import Detector
    from suar.reader import ReadPost, read_posts
    from suar.scan import ScanStats, scan

    detector = Detector(profile=True)
    start = time.perf_counter()
    warmup_error = _warm_up(detector)
    warmup = time.perf_counter() - start
    detector.stage_seconds.clear()
    rss_before = rss_mb()

    items = TimedIterator(read_posts([path]))
    stats = ScanStats()
    kinds: Counter[str] = Counter()
    first_error: str | None = None
    serialise = bookkeeping = 0.0
    # Seconds and posts per generated language: scan() yields one record per
    # item read, so the time between two records belongs to the item read last.
    by_language: dict[str, list[float]] = {}
    levels_by_label: dict[str, Counter[str]] = {}
    clock = time.perf_counter
    profiler = cProfile.Profile() if profile_to else None
    with open(os.devnull, "w", encoding="utf-8") as sink:
        if profiler is not None:
            profiler.enable()
        cpu_started = time.process_time()
        started = mark = clock()
        for scanned in scan(items, detector, stats):
            t0 = clock()
            last = items.last
            extra = last.post.extra if isinstance(last, ReadPost) else {}
            slot = by_language.setdefault(str(extra.get("gen_lang", "?")), [0.0, 0.0])
            sink.write(scanned.line)
            sink.write("\n")
            t1 = clock()
            record = scanned.record
            for indicator in record.get("indicators", ()):
                kinds[indicator["kind"]] += 1
            if record["type"] == "finding":
                label = str(extra.get("label", "?"))
                levels_by_label.setdefault(label, Counter())[record["level"]] += 1
            elif first_error is None:
                first_error = record["error"]
            _progress("suar scan", stats.records + stats.errors, posts)
            serialise += t1 - t0
            slot[0] += t1 - mark
            slot[1] += 1
            mark = clock()
            bookkeeping += mark - t1
        wall = clock() - started - bookkeeping
        cpu = time.process_time() - cpu_started - bookkeeping
        if profiler is not None:
            profiler.disable()
    if profiler is not None and profile_to is not None:
        profiler.dump_stats(profile_to)

    extractor_names = [name for name, _ in detector.extractors]
    stage_seconds: dict[str, float] = {"read + parse JSONL": items.seconds}
    for name in _ordered_detector_stages(dict(detector.stage_seconds), extractor_names):
        stage_seconds[name] = detector.stage_seconds[name]
    stage_seconds["serialise JSON + write"] = serialise
    stage_seconds["other (scan loop, records)"] = max(0.0, wall - sum(stage_seconds.values()))
    return {
        "posts": stats.records,
        "errors": stats.errors,
        "first_error": first_error,
        "warmup_error": warmup_error,
        "seconds": round(wall, 3),
        "posts_per_second": round(stats.records / wall, 1) if wall else 0.0,
        "cpu_seconds": round(cpu, 3),
        "posts_per_cpu_second": round(stats.records / cpu, 1) if cpu > 0 else 0.0,
        "setup_seconds": round(warmup, 3),
        "setup": "Detector built and warmed on one post (extractor data loaded)",
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
        "rss_after_mb": round(rss_mb(), 1),
        "detector_version": _version(detector),
        "extractors": extractor_names,
        "levels": dict(sorted(stats.levels.items())),
        "levels_by_label": {k: dict(sorted(v.items())) for k, v in sorted(levels_by_label.items())},
        "posts_per_second_by_language": {
            lang: round(n / s, 1) if s else 0.0 for lang, (s, n) in sorted(by_language.items())
        },
        "indicators": dict(sorted(kinds.items())),
        "stages": _stage_rows(stage_seconds, wall),
        "profiled": profiler is not None,
    }


def _warm_up(detector: Any) -> str | None:
    """Load the detector's data on one post; the error, if it fails (a tree mid-edit)."""
    try:
        detector.detect("warm-up: Telegram @hr_jobs, +855 12 345 678, USD 1,500/month, Poipet")
    except Exception as exc:  # reported, and the scan shows what every post gives
        log.warning("detector warm-up failed: %s: %s", type(exc).__name__, exc)
        return f"{type(exc).__name__}: {exc}"
    return None


def _version(detector: Any) -> str:
    try:
        version: str = detector.version
    except Exception as exc:  # a tree mid-edit: say so rather than lose the run
        return f"unknown ({type(exc).__name__})"
    return version


def phase_cli(path: str, posts: int, workers: int) -> dict[str, Any]:
    """``suar scan FILE -f jsonl --workers N`` as a user runs it, output to /dev/null.

    Wall time and CPU time of the whole command (its worker processes
    included), start-up and data loading counted.
    """
    command = [sys.executable, "-m", "suar", "scan", path, "-f", "jsonl", "-q"]
    command += ["--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        subprocess.run(command, stdout=sink, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "workers": workers,
        "command": f"suar scan FILE -f jsonl --workers {workers}",
        "seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "posts_per_second": round(posts / wall, 1),
        "posts_per_cpu_second": round(posts / cpu, 1) if cpu else 0.0,
    }


def phase_pipeline(path: str, posts: int, name: str, train_posts: int) -> dict[str, Any]:
    """A TF-IDF + logistic regression pipeline: trained on the first posts, timed on all."""
    _setup_logging()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from suar.reader import ReadPost, read_posts

    analyzer, ngrams = PIPELINES[name]
    started = time.perf_counter()
    texts: list[str] = []
    labels: list[int] = []
    for item in itertools.islice(read_posts([path]), train_posts):
        if isinstance(item, ReadPost):
            texts.append(item.post.text)
            labels.append(int(item.post.extra.get("label") == "lure"))
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, min_df=2, sublinear_tf=True)
    model = Pipeline([("tfidf", vectorizer), ("lr", LogisticRegression(max_iter=1000))])
    model.fit(texts, labels)
    train_seconds = time.perf_counter() - started
    features = len(vectorizer.vocabulary_)
    del texts, labels
    rss_before = rss_mb()

    clock = time.perf_counter
    items = TimedIterator(read_posts([path]))
    vectorise = predict = serialise = 0.0
    done = correct = held_out = 0
    classifier = model.named_steps["lr"]
    cpu_started = time.process_time()
    started = clock()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        while True:
            batch = [i for i in itertools.islice(items, PIPELINE_BATCH) if isinstance(i, ReadPost)]
            if not batch:
                break
            # Pipeline.predict_proba is transform then predict_proba; called
            # step by step to time each.
            t0 = clock()
            matrix = vectorizer.transform([i.post.text for i in batch])
            t1 = clock()
            probabilities = classifier.predict_proba(matrix)[:, 1]
            t2 = clock()
            for item, p in zip(batch, probabilities, strict=True):
                record = {
                    "type": "prediction",
                    "source": item.source,
                    "line": item.line,
                    "id": item.post.id,
                    "p_lure": round(float(p), 4),
                }
                sink.write(json.dumps(record, ensure_ascii=False))
                sink.write("\n")
            t3 = clock()
            vectorise += t1 - t0
            predict += t2 - t1
            serialise += t3 - t2
            for offset, (item, p) in enumerate(zip(batch, probabilities, strict=True)):
                if done + offset >= train_posts:
                    held_out += 1
                    correct += (p >= 0.5) == (item.post.extra.get("label") == "lure")
            done += len(batch)
            _progress(name, done, posts)
    wall = clock() - started
    cpu = time.process_time() - cpu_started
    stage_seconds = {
        "read + parse JSONL": items.seconds,
        "vectorise (TfidfVectorizer.transform)": vectorise,
        "predict_proba (LogisticRegression)": predict,
        "serialise JSON + write": serialise,
    }
    stage_seconds["other (batching, loop)"] = max(0.0, wall - sum(stage_seconds.values()))
    return {
        "name": name,
        "analyzer": analyzer,
        "ngram_range": list(ngrams),
        "posts": done,
        "seconds": round(wall, 3),
        "posts_per_second": round(done / wall, 1) if wall else 0.0,
        "cpu_seconds": round(cpu, 3),
        "posts_per_cpu_second": round(done / cpu, 1) if cpu > 0 else 0.0,
        "batch": PIPELINE_BATCH,
        "train_posts": train_posts,
        "setup_seconds": round(train_seconds, 3),
        "setup": f"read {train_posts:,} posts and fit the pipeline",
        "features": features,
        "held_out_accuracy": round(correct / held_out, 4) if held_out else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
        "stages": _stage_rows(stage_seconds, wall),
    }


def phase_memory(posts: int, seed: int) -> dict[str, Any]:
    """RSS of a streaming scan after 10,000 posts and after ``posts`` generated on the fly."""
    _setup_logging()
    from suar.detect import Detector
    from suar.reader import read_posts
    from suar.scan import ScanStats, scan

    generator = subprocess.Popen(
        [sys.executable, corpus.__file__, "--posts", str(posts), "--seed", str(seed)],
        stdout=subprocess.PIPE,
    )
    assert generator.stdout is not None
    checkpoints: list[tuple[int, float]] = []
    every = max(MEMORY_BASELINE_POSTS, posts // 10)
    stats = ScanStats()
    started = time.perf_counter()
    try:
        # The pipe is read by path, exactly as `suar scan /dev/fd/N` would.
        items = read_posts([f"/dev/fd/{generator.stdout.fileno()}"])
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for scanned in scan(items, Detector(), stats):
                sink.write(scanned.line)
                sink.write("\n")
                n = stats.records + stats.errors
                if n == MEMORY_BASELINE_POSTS or n % every == 0:
                    checkpoints.append((n, round(rss_mb(), 1)))
                    log.info("memory: %d/%d posts, RSS %.1f MB", n, posts, checkpoints[-1][1])
    finally:
        generator.stdout.close()
        generator.wait()
    wall = time.perf_counter() - started
    final = (stats.records + stats.errors, round(rss_mb(), 1))
    if not checkpoints or checkpoints[-1][0] != final[0]:
        checkpoints.append(final)
    baseline = next((mb for n, mb in checkpoints if n >= MEMORY_BASELINE_POSTS), final[1])
    after = [mb for n, mb in checkpoints if n >= MEMORY_BASELINE_POSTS]
    return {
        "posts": final[0],
        "errors": stats.errors,
        "seconds": round(wall, 1),
        "posts_per_second": round(final[0] / wall, 1) if wall else 0.0,
        "rss_at_baseline_mb": baseline,
        "baseline_posts": MEMORY_BASELINE_POSTS,
        "rss_at_end_mb": final[1],
        "growth_mb": round(final[1] - baseline, 1),
        "max_growth_mb": round(max(after, default=final[1]) - baseline, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "checkpoints": checkpoints,
    }


def in_fresh_process(function: Callable[..., T], *args: Any) -> T:
    """Run ``function(*args)`` in a new interpreter, so that its memory is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


# --- The run ----------------------------------------------------------------


def machine() -> dict[str, Any]:
    """CPU model, cores, Python and library versions, load: what the figures depend on."""
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import sklearn

    import suar

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "suar": suar.__version__,
        "scikit_learn": sklearn.__version__,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def prepare_corpus(posts: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The JSONL corpus for (posts, seed), generated once and then reused."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = corpus.corpus_path(RESULTS_DIR, posts, seed)
    summary_path = path.with_suffix(".summary.json")
    if path.exists() and summary_path.exists():
        log.info("reusing %s", path)
        summary: dict[str, Any] = json.loads(summary_path.read_text(encoding="utf-8"))
        return path, summary
    log.info("generating %d posts (seed %d) into %s", posts, seed, path)
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        written = corpus.write_corpus(out, posts, seed)
    partial.replace(path)
    summary = written.as_dict()
    summary["generation_seconds"] = round(time.perf_counter() - started, 1)
    summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return path, summary


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement of one benchmark run, as a JSON-ready dict."""
    results: dict[str, Any] = {
        "benchmark": "suar scan vs TF-IDF + logistic regression",
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": " ".join(["python", "benchmarks/scan_bench.py", *sys.argv[1:]]),
        "machine": machine(),
    }
    path, summary = prepare_corpus(args.posts, args.seed)
    summary.update(path=str(path), bytes=path.stat().st_size, seed=args.seed)
    results["corpus"] = summary
    profile_to = str(RESULTS_DIR / "scan.prof") if args.cprofile else None
    log.info("suar scan over %d posts", args.posts)
    results["suar_scan"] = in_fresh_process(phase_scan, str(path), args.posts, profile_to)
    if profile_to is not None:
        results["suar_scan"]["cprofile"] = _profile_summary(profile_to)
    results["suar_cli"] = []
    for workers in (0, 1):
        log.info("suar scan --workers %d (the command, as a user runs it)", workers)
        results["suar_cli"].append(phase_cli(str(path), args.posts, workers))
    train = min(args.train_posts, args.posts // 2)
    names = [TARGET_PIPELINE] + ([] if args.skip_char else ["tfidf-char-2-4+lr"])
    results["pipelines"] = []
    for name in names:
        log.info("%s: training on %d posts, predicting %d", name, train, args.posts)
        results["pipelines"].append(
            in_fresh_process(phase_pipeline, str(path), args.posts, name, train)
        )
    if args.skip_memory:
        results["memory"] = None
    else:
        log.info("memory: streaming scan of %d generated posts", args.memory_posts)
        results["memory"] = in_fresh_process(phase_memory, args.memory_posts, args.seed)
    results["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["checks"] = checks(results)
    return results


def checks(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets of the issue, each with its measured value and PASS or FAIL."""
    command = results["suar_cli"][0]  # the default, --workers 0
    scan_rate = command["posts_per_second"]
    target = next(p for p in results["pipelines"] if p["name"] == TARGET_PIPELINE)
    out = [
        {
            "check": "suar scan posts/s >= pipeline posts/s (TF-IDF word 1-2 + LR)",
            "value": f"{scan_rate:,.0f} vs {target['posts_per_second']:,.0f} posts/s"
            f" (per CPU-second: {command['posts_per_cpu_second']:,.0f}"
            f" vs {target['posts_per_cpu_second']:,.0f})",
            "passed": scan_rate >= target["posts_per_second"]
            and not results["suar_scan"]["errors"],
        }
    ]
    memory = results["memory"]
    if memory is not None:
        out.append(
            {
                "check": f"memory growth < {MEMORY_TARGET_MB:.0f} MB"
                f" ({MEMORY_BASELINE_POSTS:,} -> {memory['posts']:,} posts)",
                "value": f"{memory['growth_mb']:+.1f} MB"
                f" ({memory['rss_at_baseline_mb']:.1f} -> {memory['rss_at_end_mb']:.1f} MB)",
                "passed": memory["growth_mb"] < MEMORY_TARGET_MB,
            }
        )
    return out


def _profile_summary(path: str, limit: int = 20) -> list[dict[str, Any]]:
    """The functions with the most own time in a cProfile dump."""
    stats = pstats.Stats(path, stream=io.StringIO())
    rows = []
    for (filename, line, function), (_cc, calls, own, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{Path(filename).name}:{line}({function})",
                "calls": calls,
                "own_seconds": round(own, 3),
                "cumulative_seconds": round(cumulative, 3),
            }
        )
    rows.sort(key=lambda r: r["own_seconds"], reverse=True)
    return rows[:limit]


# --- Output -----------------------------------------------------------------


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = []
    for cells in [headers, *rows]:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join([first, *rest]).rstrip())
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _stage_table(stages: list[dict[str, Any]], total: float) -> str:
    rows = [[s["stage"], f"{s['seconds']:.2f}", f"{100 * s['share']:.1f}%"] for s in stages]
    rows.append(["total", f"{total:.2f}", "100.0%"])
    return _table(["stage", "seconds", "share"], rows)


def render(results: dict[str, Any]) -> str:
    """The results as the plain-text report printed at the end of a run."""
    m, c, s = results["machine"], results["corpus"], results["suar_scan"]
    pct = c["length_percentiles"]
    langs = ", ".join(f"{k} {v / c['posts']:.0%}" for k, v in c["languages"].items())
    out = [
        f"suar scan benchmark, {results['date']}",
        f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable),"
        f" Python {m['python']}, scikit-learn {m['scikit_learn']}, suar {m['suar']};"
        f" load average {m['load_average'][0]} at start, {m['load_average_end'][0]} at end",
        f"corpus: {c['posts']:,} posts (seed {c['seed']}), {c['bytes'] / 1e6:.1f} MB JSONL,"
        f" {c['labels'].get('lure', 0) / c['posts']:.0%} lures; length mean {c['mean_chars']:.0f},"
        f" p10/p50/p90/p99 {pct['p10']}/{pct['p50']}/{pct['p90']}/{pct['p99']} code points",
        f"languages: {langs}",
        f"disguised posts: {', '.join(f'{k} {v:,}' for k, v in c['disguises'].items())}",
        "",
        "Throughput (read the JSONL with suar.reader, write one JSON line per post to",
        "/dev/null). First row: suar's detector in one process, timed stage by stage. 'suar",
        "scan' rows: the command as a user runs it, start-up included; --workers 0 (the",
        "default) uses every core for a large input, and its CPU time is that of all its",
        "processes. The pipelines run in one process, as scikit-learn does. posts/s by the",
        "wall clock; posts/CPU-s is steadier on a shared machine. setup = one-off work",
        "before the timed run, not counted)",
    ]
    rows = [
        [
            f"suar scan ({s['detector_version']})",
            f"{s['posts_per_second']:,.0f}",
            f"{s['posts_per_cpu_second']:,.0f}",
            f"{s['seconds']:.1f}",
            f"{s['peak_rss_mb']:.0f}",
            f"{s['setup_seconds']:.2f}",
        ]
    ]
    for c in results["suar_cli"]:
        rows.append(
            [
                f"{c['command']} (the command; all processes)",
                f"{c['posts_per_second']:,.0f}",
                f"{c['posts_per_cpu_second']:,.0f}",
                f"{c['seconds']:.1f}",
                "",
                "",
            ]
        )
    for p in results["pipelines"]:
        rows.append(
            [
                f"{p['name']} (batches of {p['batch']:,})",
                f"{p['posts_per_second']:,.0f}",
                f"{p['posts_per_cpu_second']:,.0f}",
                f"{p['seconds']:.1f}",
                f"{p['peak_rss_mb']:.0f}",
                f"{p['setup_seconds']:.2f}",
            ]
        )
    headers = ["detector", "posts/s", "posts/CPU-s", "seconds", "peak RSS MB", "setup s"]
    out.append(_table(headers, rows))
    out += [
        "",
        f"suar scan: time per stage (extractors present: {', '.join(s['extractors']) or 'none'})"
        + (" -- under cProfile, which inflates every stage" if s["profiled"] else ""),
        _stage_table(s["stages"], s["seconds"]),
        f"  levels by generated label: {s['levels_by_label']}",
        f"  indicators found: {s['indicators'] or 'none'}",
        "  posts/s by language: "
        + ", ".join(f"{k} {v:,.0f}" for k, v in s["posts_per_second_by_language"].items()),
    ]
    for p in results["pipelines"]:
        out += [
            "",
            f"{p['name']}: time per stage ({p['features']:,} features, trained on"
            f" {p['train_posts']:,} posts in {p['setup_seconds']:.1f} s,"
            f" held-out accuracy {p['held_out_accuracy']})",
            _stage_table(p["stages"], p["seconds"]),
        ]
    if "cprofile" in s:
        out += ["", "suar scan under cProfile (slower than unprofiled): most own time"]
        out.append(
            _table(
                ["function", "calls", "own s", "cumulative s"],
                [
                    [
                        r["function"],
                        f"{r['calls']:,}",
                        f"{r['own_seconds']:.2f}",
                        f"{r['cumulative_seconds']:.2f}",
                    ]
                    for r in s["cprofile"]
                ],
            )
        )
    memory = results["memory"]
    if memory is not None:
        points = ", ".join(f"{n:,}: {mb:.1f}" for n, mb in memory["checkpoints"])
        out += [
            "",
            f"Memory: streaming scan of {memory['posts']:,} posts generated on the fly"
            f" ({memory['posts_per_second']:,.0f} posts/s, {memory['seconds']:.0f} s)",
            f"  RSS MB after posts: {points}",
            f"  growth {memory['growth_mb']:+.1f} MB from {memory['baseline_posts']:,} posts"
            f" to the end (largest {memory['max_growth_mb']:+.1f} MB)",
        ]
    if s["errors"] or s["warmup_error"]:
        out += [
            "",
            f"WARNING: {s['errors']:,} posts gave error records instead of findings"
            f" (first: {s['first_error'] or s['warmup_error']}); posts/s counts findings only,"
            " so the scan figures do not measure detection.",
        ]
    out += ["", "Checks"]
    out.append(
        _table(
            ["target", "measured", "result"],
            [
                [ch["check"], ch["value"], "PASS" if ch["passed"] else "FAIL"]
                for ch in results["checks"]
            ],
        )
    )
    return "\n".join(out)


def _setup_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of the benchmark."""
    parser = argparse.ArgumentParser(
        description="Throughput, memory and per-stage time of suar scan against a"
        " TF-IDF + logistic-regression pipeline, on generated posts."
    )
    parser.add_argument("--posts", type=int, default=100_000, help="posts to scan (100000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the post generator (0)")
    parser.add_argument(
        "--memory-posts",
        "--posts-for-memory",
        dest="memory_posts",
        type=int,
        default=1_000_000,
        help="posts of the streaming memory run (1000000)",
    )
    parser.add_argument("--skip-memory", action="store_true", help="skip the memory run")
    parser.add_argument("--skip-char", action="store_true", help="skip the char 2-4-gram pipeline")
    parser.add_argument(
        "--train-posts",
        type=int,
        default=20_000,
        help="posts the pipelines are trained on (20000, at most half of --posts)",
    )
    parser.add_argument(
        "--cprofile",
        action="store_true",
        help="run the suar scan step under cProfile (slower) and list the hottest functions",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the results as JSON instead of the table"
    )
    args = parser.parse_args(argv)
    if args.posts < 2 or args.memory_posts < 1:
        parser.error("--posts must be at least 2 and --memory-posts at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the report and save the results under benchmarks/results/."""
    args = parse_args(argv)
    _setup_logging()
    results = run(args)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = results["date"].replace(":", "").replace("-", "")
    saved = RESULTS_DIR / f"scan-bench-{stamp}.json"
    text = json.dumps(results, ensure_ascii=False, indent=1)
    saved.write_text(text + "\n", encoding="utf-8")
    (RESULTS_DIR / "latest.json").write_text(text + "\n", encoding="utf-8")
    print(text if args.json else render(results))
    log.info("results saved to %s", saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
