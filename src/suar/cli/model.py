"""``suar model``: rebuild the lure model from the data, and evaluate the detector on labelled posts."""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from suar.errors import ConfigError, InputError

log = logging.getLogger(__name__)

model_app = typer.Typer(
    name="model",
    help="The lure model: train it from the labelled data, evaluate the detector with it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


def _package_data_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("suar.model").joinpath("data")))


@model_app.command("train")
def train_command(
    seed: Annotated[int, typer.Option("--seed", help="Seed of the folds and the solver.")] = 0,
    data_dir: Annotated[
        Path,
        typer.Option("--data-dir", help="Directory holding the data sets (as in ../shared/data)."),
    ] = Path("../shared/data"),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Directory to write lure_model.npz and lure_model.json to."
            " Default: the package's own model (src/suar/model/data).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Fit, calibrate and tune the lure model by cross-validation on the training sets.

    Reads only the training sets (never the DIFrauD test split), runs the red-flag
    detector on every post, and writes the model and its training summary.
    Takes a few minutes on one core.
    """
    try:
        import sklearn  # noqa: F401  (fitting needs it; scanning does not)

        from suar.model.training import TrainingConfig, fit, load_training_posts
    except ImportError as exc:
        raise ConfigError(
            f"training needs scikit-learn and scipy ({exc.name} is missing):"
            " pip install 'suar[model]'"
        ) from exc
    from suar.model.detection import flag_detector, scoring_thresholds

    if not data_dir.is_dir():
        raise InputError(f"--data-dir {data_dir} is not a directory")
    detector = flag_detector()
    posts = load_training_posts(data_dir, lambda text: detector.detect(text))
    result = fit(posts, scoring_thresholds(), TrainingConfig(seed=seed))
    target = output or _package_data_dir()
    npz, meta = result.model.to_files(target)
    summary = result.summary
    cv = summary["cross_validation"]["selection"]
    typer.echo(f"model {result.model.version} written to {npz} and {meta.name}")
    typer.echo(
        f"hyper-parameters: {summary['hyperparameters']}; calibration:"
        f" {result.model.calibrator.kind} (cross-validated log loss {summary['calibration_log_loss']})"
    )
    rule = next(row for row in summary["alert_rule"]["search"] if row["chosen"])
    cv_rule = rule["cross_validated"]
    typer.echo(
        f"the model alone may alert: rule {rule['rule']!r}, from probability {rule['alert']}"
        f" (cross-validated F1 {cv_rule['f1']}, legitimate training ads raised"
        f" {cv_rule['legitimate_raised']} against {cv_rule['legitimate_raised_by_flags']}"
        " by the flags alone)"
    )
    for name in ("combined", "model_only", "flags_only"):
        figures = cv[name]
        typer.echo(
            f"out-of-fold on the selection sets ({name}): "
            + ", ".join(f"{k} {_fmt(figures, k)}" for k in ("precision", "recall", "f1", "pr_auc"))
        )


def _fmt(figures: dict[str, Any], name: str) -> str:
    value = figures.get(name)
    interval = figures.get("ci95", {}).get(name)
    if value is None:
        return "–"
    return f"{value:.3f}" + (f" [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else "")


@model_app.command("eval")
def eval_command(
    data: Annotated[
        list[Path],
        typer.Argument(help="Labelled posts: JSONL, JSON or CSV files, gzip read transparently."),
    ],
    output_format: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="Print a table or one JSON document.")
    ] = EvalFormat.table,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write an HTML report with a PR curve and a calibration plot into this directory.",
            show_default=False,
        ),
    ] = None,
    text_fields: Annotated[
        list[str] | None,
        typer.Option(
            "--text-field",
            help="Key or column holding the text (default: text); repeat it to join several fields.",
            show_default=False,
        ),
    ] = None,
    label_field: Annotated[
        str, typer.Option("--label-field", help="Key or column holding the label.")
    ] = "label",
    positive: Annotated[
        list[str] | None,
        typer.Option(
            "--positive",
            help="Label value meaning lure or scam (default: 1); every other value is legitimate."
            " Repeat it for several.",
            show_default=False,
        ),
    ] = None,
    assume_label: Annotated[
        int | None,
        typer.Option(
            "--assume-label",
            min=0,
            max=1,
            help="Give every post this label (0 for a set of legitimate ads without a label field).",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 0,
    resamples: Annotated[
        int, typer.Option("--resamples", min=0, help="Bootstrap resamples for the intervals.")
    ] = 1000,
    model_dir: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="Directory of another lure model to evaluate (default: the shipped one).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Evaluate the detector, red flags plus model, on labelled posts.

    Prints precision, recall, F1 and the false-positive rate at level medium or
    above, ROC-AUC and PR-AUC of the risk, each with a bootstrap 95% interval;
    the same for the red flags alone and the model alone, the confusion of
    levels and labels, and the figures per language and per file. Exit status
    2 for files that cannot be read or records without a label.
    """
    from suar.model.corpus import read_examples
    from suar.model.detection import flag_detector
    from suar.model.evaluation import evaluate, score_posts
    from suar.model.lure_model import load_lure_model, load_model_files
    from suar.reader import check_readable

    check_readable([str(p) for p in data])
    model = load_model_files(model_dir) if model_dir is not None else load_lure_model()
    detector = flag_detector()
    examples = []
    for path in data:
        examples += list(
            read_examples(
                [str(path)],
                text_fields=tuple(text_fields or ["text"]),
                label_field=label_field,
                positive=tuple(positive or ["1"]),
                assume_label=assume_label,
                source=path.name,
            )
        )
    if not examples:
        raise InputError("no post with text was read from " + ", ".join(str(p) for p in data))
    posts = score_posts(examples, model, lambda text, lang: detector.detect(text, lang=lang))
    result = evaluate(posts, model, seed=seed, resamples=resamples)
    if report is not None:
        from suar.model.report import write_report

        page = write_report(result, posts, report, title="Suar lure detector: evaluation")
        log.info("report written to %s", page)
    if output_format is EvalFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        return
    _print_table(result)
    if report is not None:
        typer.echo(f"report: {report / 'index.html'}")


def _print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from suar.model.metrics import FIGURES

    table = Table(title=f"{result['posts']} posts, {result['lures']} lures", expand=False)
    table.add_column("")
    for name in FIGURES:
        table.add_column(name, justify="right")
    rows = [
        ("flags + model", result),
        ("red flags alone", result["flags_only"]),
        ("model alone", result["model_only"]),
    ]
    rows += [(f"  lang {k}", v) for k, v in result["per_language"].items()]
    rows += [(f"  file {k}", v) for k, v in result["per_source"].items()]
    for label, figures in rows:
        table.add_row(label, *(_fmt(figures, name) for name in FIGURES))
    Console().print(table)
    levels = ", ".join(
        f"{level}: {c['lures']} lures / {c['legitimate']} legitimate"
        for level, c in result["confusion_by_level"].items()
    )
    typer.echo(f"levels (flags + model): {levels}")


def register(app: typer.Typer) -> None:
    """Add the ``model`` group to the root command."""
    app.add_typer(model_app, name="model")
