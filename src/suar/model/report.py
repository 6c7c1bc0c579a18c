"""The HTML evaluation report: figures with intervals, a PR curve and a calibration plot.

matplotlib is imported only here, on first use, with the non-interactive Agg
backend, so that scanning never pays for it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

from suar.errors import ConfigError
from suar.model.evaluation import ScoredPost
from suar.model.metrics import FIGURES

PR_CURVE: Final = "pr_curve.png"
CALIBRATION: Final = "calibration.png"
_BINS: Final = 10


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ConfigError(
            "the HTML report needs matplotlib: pip install 'suar[model]' (or matplotlib)"
        ) from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _pr_points(y: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-score, kind="mergesort")
    hits = (y[order] == 1).astype(np.float64)
    tp = np.cumsum(hits)
    seen = np.arange(1, len(y) + 1, dtype=np.float64)
    return tp / max(1.0, hits.sum()), tp / seen


def plot_pr_curve(posts: Sequence[ScoredPost], path: Path) -> bool:
    """Draw precision against recall for the combined risk, the flags and the model.

    Returns False (and draws a note instead) when the posts hold only one class.
    """
    plt = _pyplot()
    y = np.array([p.label for p in posts])
    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=100)
    drawn = bool(0 < y.sum() < len(y))
    if drawn:
        for name, score in (
            ("detector (flags + model)", np.array([p.risk for p in posts])),
            ("red flags alone", np.array([p.flag_risk for p in posts])),
            ("model alone", np.array([p.probability for p in posts])),
        ):
            recall, precision = _pr_points(y, score)
            ax.step(recall, precision, where="post", label=name)
        ax.axhline(y.mean(), color="grey", linestyle=":", label=f"base rate {y.mean():.3f}")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.legend(loc="upper right", fontsize=8)
    else:
        ax.text(0.5, 0.5, "one class only: no PR curve", ha="center", va="center")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title("Precision-recall")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return drawn


def plot_calibration(posts: Sequence[ScoredPost], path: Path) -> None:
    """Reliability diagram: share of lures against the model's mean probability, in ten
    equal-width bins of probability (empty bins left out; each point labelled with its posts)."""
    plt = _pyplot()
    y = np.array([p.label for p in posts], dtype=np.float64)
    prob = np.array([p.probability for p in posts])
    fig, ax = plt.subplots(figsize=(5, 4.5), dpi=100)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    which = np.minimum((prob * _BINS).astype(np.int64), _BINS - 1)
    xs, ys, ns = [], [], []
    for b in range(_BINS):
        members = which == b
        if members.any():
            xs.append(float(prob[members].mean()))
            ys.append(float(y[members].mean()))
            ns.append(int(members.sum()))
    ax.plot(xs, ys, marker="o", label="model (bins of width 0.1)")
    for x, share, n in zip(xs, ys, ns, strict=True):
        ax.annotate(str(n), (x, share), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel("share of lures")
    ax.set_title("Calibration (numbers: posts per bin)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _value(result: dict[str, Any], name: str) -> str:
    value = result.get(name)
    interval = (result.get("ci95") or {}).get(name)
    if value is None:
        return "–"
    text = f"{value:.3f}"
    if interval:
        text += f" <small>[{interval[0]:.3f}, {interval[1]:.3f}]</small>"
    return text


def _figures_table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    head = "".join(f"<th>{html.escape(n)}</th>" for n in ("", "posts", "lures", *FIGURES))
    body = ""
    for label, result in rows:
        cells = "".join(f"<td>{_value(result, n)}</td>" for n in FIGURES)
        body += (
            f"<tr><th>{html.escape(label)}</th><td>{result['posts']}</td>"
            f"<td>{result['lures']}</td>{cells}</tr>"
        )
    return f"<table><tr>{head}</tr>{body}</table>"


def _confusion(confusion: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(level)}</th><td>{c['lures']}</td><td>{c['legitimate']}</td></tr>"
        for level, c in confusion.items()
    )
    return f"<table><tr><th>level</th><th>lures</th><th>legitimate</th></tr>{rows}</table>"


def _examples(examples: dict[str, list[dict[str, Any]]]) -> str:
    out = ""
    for title, items in examples.items():
        out += f"<h3>{html.escape(title.replace('_', ' '))}</h3>"
        if not items:
            out += "<p>none</p>"
            continue
        out += "<ul>"
        for item in items:
            out += (
                f"<li><b>{html.escape(item['level'])}</b> risk {item['risk']:.3f},"
                f" model {item['probability']:.3f}, {html.escape(item['source'])}"
                f" ({html.escape(item['lang'])}), flags: {html.escape(', '.join(item['flags']) or '–')}"
                f"<br><q>{html.escape(item['text'])}</q></li>"
            )
        out += "</ul>"
    return out


def write_report(
    result: dict[str, Any], posts: Sequence[ScoredPost], directory: Path, *, title: str
) -> Path:
    """Write ``index.html`` with its two PNG plots into ``directory``; return the HTML path."""
    directory.mkdir(parents=True, exist_ok=True)
    plot_pr_curve(posts, directory / PR_CURVE)
    plot_calibration(posts, directory / CALIBRATION)
    main = [
        ("detector: flags + model (level ≥ medium)", result),
        ("red flags alone (level ≥ medium)", result["flags_only"]),
        (
            f"model alone (probability ≥ {result['model_only']['threshold']:.3f})",
            result["model_only"],
        ),
    ]
    languages = [(lang, r) for lang, r in result["per_language"].items()]
    sources = [(name, r) for name, r in result["per_source"].items()]
    anchor = result["published_anchor"]
    model = result["model"]
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; max-width: 70em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ border: 1px solid #ccc; padding: .3em .6em; text-align: right; }}
th:first-child {{ text-align: left; }} small {{ color: #666; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Model {html.escape(model["version"])}; it speaks for {html.escape(", ".join(model["languages"]) or "no language")}
and abstained on {model["abstained"]} of {result["posts"]} posts (their risk is the red flags' alone).
Figures with bootstrap 95% intervals in brackets; – where a figure is undefined
(no lures, or nothing flagged).</p>
<h2>Figures</h2>
{_figures_table(main)}
<p>Published anchor, for context only: {html.escape(anchor["model"])} reaches F1
{anchor["f1"]:.2f} on {html.escape(anchor["data"])}, trained on {html.escape(anchor["trained_on"])};
a different protocol and far more training data than the 1,429 ads used here.</p>
<h2>Plots</h2>
<p><img src="{PR_CURVE}" alt="precision-recall curve">
<img src="{CALIBRATION}" alt="calibration plot"></p>
<h2>Confusion by level</h2>
<div style="display:flex; gap:3em"><div><h3>flags + model</h3>{_confusion(result["confusion_by_level"])}</div>
<div><h3>red flags alone</h3>{_confusion(result["confusion_by_level_flags_only"])}</div></div>
<h2>Per language (detector: flags + model)</h2>
{_figures_table(languages)}
<h2>Per data set (detector: flags + model)</h2>
{_figures_table(sources)}
<h2>Examples</h2>
{_examples(result["examples"])}
</body></html>
"""
    path = directory / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
