"""The lure model's closing evaluation: test split, false alarms, language probe and speed.

Runs the shipped model (or ``--model DIR``) with the red-flag detector over:

1. the DIFrauD job_scams **test** split (never used in training or tuning),
   beside the published anchor;
2. every held-out set of ``../shared/data`` (legitimate job ads in Indonesian,
   Thai, Vietnamese/English, Malaysian/Singaporean English; English and
   Indonesian SMS): the rate of medium-or-high with and without the model;
3. the synthetic benchmark corpus (``corpus.py``, project-written, *not* a
   measure of real recall): per language, what the flags and the model say,
   and what the model would do if it did not abstain outside its languages;
4. speed: µs per post of the red-flag detector alone, of the model on top,
   and of a word TF-IDF + logistic regression pipeline, on the same posts.

    .venv/bin/python benchmarks/model_eval.py [--data ../shared/data] [--model DIR]
        [--posts 3000] [--resamples 1000] [--json benchmarks/results/model-eval.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

import corpus
from suar.domain import Level
from suar.model.corpus import DATA_SETS, load_data_set
from suar.model.detection import flag_detector
from suar.model.evaluation import PUBLISHED_ANCHOR, evaluate, score_posts
from suar.model.lure_model import LureModel, load_lure_model, load_model_files

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results"


def _figures(result: dict[str, Any], keys: tuple[str, ...]) -> str:
    parts = []
    for key in keys:
        value = result.get(key)
        interval = result.get("ci95", {}).get(key)
        text = "–" if value is None else f"{value:.3f}"
        if interval:
            text += f" [{interval[0]:.3f}, {interval[1]:.3f}]"
        parts.append(f"{key} {text}")
    return ", ".join(parts)


def evaluate_sets(
    data: Path, model: LureModel, resamples: int, names: list[str] | None = None
) -> dict[str, Any]:
    detector = flag_detector()
    out: dict[str, Any] = {}
    for spec in DATA_SETS:
        if spec.role == "train":
            continue  # their honest figures are the out-of-fold ones in the model's metadata
        if names is not None and spec.name not in names:
            continue
        path = data / spec.path
        if not path.exists():
            print(f"skip {spec.name}: {path} is absent")
            continue
        examples = load_data_set(spec, data)
        posts = score_posts(examples, model, lambda t, lang: detector.detect(t, lang=lang))
        result = evaluate(posts, model, resamples=resamples)
        out[spec.name] = {"role": spec.role, "description": spec.description, **result}
        keys: tuple[str, ...] = ("precision", "recall", "f1", "roc_auc", "pr_auc")
        if result["lures"] == 0:
            keys = ("false_positive_rate",)
        print(f"\n== {spec.name} ({spec.role}): {result['posts']} posts, {result['lures']} lures")
        print(f"  flags + model: {_figures(result, keys)}")
        print(f"  flags alone:   {_figures(result['flags_only'], keys)}")
        print(f"  model alone:   {_figures(result['model_only'], keys)}")
    return out


def synthetic_probe(model: LureModel, posts: int) -> dict[str, Any]:
    """Per language and label of the synthetic corpus: mean model probability, share at
    medium-or-high with flags alone, with the model, and with the model forced to speak."""
    detector = flag_detector()
    groups: dict[tuple[str, str], list[tuple[float, bool, bool, bool]]] = defaultdict(list)
    for row in corpus.generate_posts(posts, seed=0):
        text = row["text"]
        finding = detector.detect(text)
        p = model.probability(text, finding)
        combined = model.assess(text, finding)
        forced = model.level(model.combine(p, finding.risk))
        groups[(row["gen_lang"], row["label"])].append(
            (
                p,
                finding.level.rank >= Level.MEDIUM.rank,
                combined.level.rank >= Level.MEDIUM.rank,
                forced.rank >= Level.MEDIUM.rank,
            )
        )
    out: dict[str, Any] = {}
    print("\n== synthetic corpus (project-written, not real posts)")
    print(
        f"{'lang':5} {'label':9} {'posts':>5} {'mean p':>7} {'flags':>6} {'+model':>7} {'forced':>7}"
    )
    for (lang, label), values in sorted(groups.items()):
        arr = np.array(values, dtype=np.float64)
        entry = {
            "posts": len(values),
            "mean_probability": round(float(arr[:, 0].mean()), 4),
            "medium_or_high_flags": round(float(arr[:, 1].mean()), 4),
            "medium_or_high_with_model": round(float(arr[:, 2].mean()), 4),
            "medium_or_high_if_model_never_abstained": round(float(arr[:, 3].mean()), 4),
        }
        out[f"{lang}/{label}"] = entry
        print(
            f"{lang:5} {label:9} {entry['posts']:5d} {entry['mean_probability']:7.3f}"
            f" {entry['medium_or_high_flags']:6.3f} {entry['medium_or_high_with_model']:7.3f}"
            f" {entry['medium_or_high_if_model_never_abstained']:7.3f}"
        )
    return out


def speed(model: LureModel, posts: int) -> dict[str, Any]:
    """µs per post: detector alone, model on top (as wired: abstaining), model always, TF-IDF + LR."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rows = list(corpus.generate_posts(posts, seed=0))
    texts = [r["text"] for r in rows]
    detector = flag_detector()
    detector.detect("warm-up")
    model.probability("warm-up", detector.detect("warm-up"))

    start = time.perf_counter()
    findings = [detector.detect(t) for t in texts]
    flags_s = time.perf_counter() - start

    start = time.perf_counter()
    for t, f in zip(texts, findings, strict=True):
        model.assess(t, f)
    assess_s = time.perf_counter() - start

    start = time.perf_counter()
    for t, f in zip(texts, findings, strict=True):
        model.probability(t, f)
    always_s = time.perf_counter() - start

    english = [(t, f) for t, f in zip(texts, findings, strict=True) if f.lang == "en"]
    start = time.perf_counter()
    for t, f in english:
        model.probability(t, f)
    english_s = time.perf_counter() - start

    labels = [1 if r["label"] == "lure" else 0 for r in rows]
    pipeline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(max_iter=1000))
    pipeline.fit(texts[:1000], labels[:1000])
    start = time.perf_counter()
    for i in range(0, len(texts), 1000):
        pipeline.predict_proba(texts[i : i + 1000])
    tfidf_s = time.perf_counter() - start

    n = len(texts)
    out = {
        "posts": n,
        "mean_chars": round(sum(map(len, texts)) / n, 1),
        "detector_flags_only_us": round(flags_s / n * 1e6, 1),
        "model_as_wired_us": round(assess_s / n * 1e6, 1),
        "model_always_us": round(always_s / n * 1e6, 1),
        "model_english_post_us": round(english_s / max(1, len(english)) * 1e6, 1),
        "tfidf_word_lr_us": round(tfidf_s / n * 1e6, 1),
        "detector_posts_per_s": round(n / flags_s, 1),
        "detector_with_model_posts_per_s": round(n / (flags_s + assess_s), 1),
        "tfidf_word_lr_posts_per_s": round(n / tfidf_s, 1),
    }
    print("\n== speed (one core, synthetic corpus)")
    for key, value in out.items():
        print(f"  {key:34} {value}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--json", type=Path, default=RESULTS / "model-eval.json")
    parser.add_argument(
        "--sets",
        nargs="+",
        default=None,
        help="only these held-out or test sets (e.g. all but job_scams_test, to compare"
        " combination rules without looking at the test split); --posts 0 skips the probe",
    )
    args = parser.parse_args(argv)
    model = load_model_files(args.model) if args.model else load_lure_model()
    print(f"model {model.version}, languages {', '.join(model.languages)}")
    results: dict[str, Any] = {
        "model": model.version,
        "published_anchor": PUBLISHED_ANCHOR,
        "cross_validation": model.metadata.get("training", {}).get("cross_validation", {}),
        "data_sets": evaluate_sets(args.data, model, args.resamples, args.sets),
    }
    if args.posts > 0:
        results["synthetic_probe"] = synthetic_probe(model, args.posts)
        results["speed"] = speed(model, args.posts)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
