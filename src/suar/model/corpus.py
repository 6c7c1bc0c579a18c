"""The labelled data sets of ``../shared/data`` as the model reads them.

Each data set is described once (:data:`DATA_SETS`): which file, which
fields make up the post's text, where the label is, and what the set is
for. Records are read with :mod:`suar.reader`, so the same files also work
with ``suar scan`` and ``suar model eval``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from suar.errors import InputError
from suar.reader import ReadError, ReadOptions, read_posts

log = logging.getLogger(__name__)

#: What a data set is used for.
#: ``train``: fitted on, by cross-validation; ``test``: touched once, at the end;
#: ``heldout``: never fitted on, only measured (false alarms on unseen distributions).
Role = Literal["train", "test", "heldout"]


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled post: 1 is a lure or scam, 0 is legitimate."""

    text: str
    label: int
    source: str
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class DataSet:
    """Where a data set lives under the data directory and how its records become examples."""

    name: str
    path: str
    text_fields: tuple[str, ...]
    role: Role
    #: field holding the label; ``None`` when every record has ``assume_label``
    label_field: str | None = "label"
    #: label values (as text) that mean "lure or scam"; every other value is legitimate
    positive: tuple[str, ...] = ("1",)
    assume_label: int | None = None
    lang: str | None = None
    #: the text is cut at the first of these markers (site navigation glued to the ad)
    cut_at: tuple[str, ...] = ()
    description: str = ""


#: Every data set the model knows, by name. The roles are the protocol of
#: docs/model-card.md: only ``train`` sets are fitted on.
DATA_SETS: Final[tuple[DataSet, ...]] = (
    DataSet(
        "job_scams_validation",
        "difraud_job_scams/job_scams_validation.jsonl.gz",
        ("text",),
        "train",
        lang="en",
        description="DIFrauD job_scams (EMSCAD) validation split: English job ads, 4.2% fraudulent",
    ),
    DataSet(
        "job_scams_test",
        "difraud_job_scams/job_scams_test.jsonl.gz",
        ("text",),
        "test",
        lang="en",
        description="DIFrauD job_scams (EMSCAD) test split: touched once, at the end",
    ),
    DataSet(
        "sms_train",
        "difraud_sms/sms_train.jsonl.gz",
        ("text",),
        "heldout",
        lang="en",
        description="DIFrauD sms train split: English SMS spam and smishing",
    ),
    DataSet(
        "sms_validation",
        "difraud_sms/sms_validation.jsonl.gz",
        ("text",),
        "heldout",
        lang="en",
        description="DIFrauD sms validation split: English SMS spam and smishing",
    ),
    DataSet(
        "indonesian_sms",
        "indonesian_sms_spam/dataset_sms_spam_v1.csv.gz",
        ("Teks",),
        "heldout",
        label_field="Label",
        positive=("1",),
        lang="id",
        description="Indonesian SMS: fraud (1) against normal and promotional (0, 2) messages",
    ),
    DataSet(
        "ph_job_ads",
        "ph_job_ads/ph_jobs_union.jsonl.gz",
        ("title", "job_desc"),
        "train",
        label_field=None,
        assume_label=0,
        lang="en",
        description="Philippine job-board ads (English), assumed legitimate",
    ),
    DataSet(
        "jobstreet_my_id_sg",
        "jobstreet_ds_my_id_sg/jobstreet_data.csv.gz",
        ("title", "description"),
        "heldout",
        label_field=None,
        assume_label=0,
        description="JobStreet data-science ads, Malaysia, Indonesia, Singapore; assumed legitimate",
    ),
    DataSet(
        "loker_id",
        "loker_id_jobs/job_postings_processed.csv.gz",
        ("Title", "Description"),
        "heldout",
        label_field=None,
        assume_label=0,
        description="Loker.id job ads (Indonesian), assumed legitimate",
    ),
    DataSet(
        "jobthai",
        "jobthai_th/jobthai_jobs.json.gz",
        ("title", "salary", "description", "benefits"),
        "heldout",
        label_field=None,
        assume_label=0,
        cut_at=("งานแยกตามประเภทงาน", "Tags :"),
        description="JobThai ads (Thai), footer removed; assumed legitimate",
    ),
    DataSet(
        "itviec",
        "itviec_vi/itviec-jobs.json.gz",
        ("title", "jobDescription", "requirements", "benefits"),
        "heldout",
        label_field=None,
        assume_label=0,
        description="ITviec IT ads (Vietnam; Vietnamese and English), assumed legitimate",
    ),
)

_SPACE: Final = re.compile(r"\s+")


def data_set(name: str) -> DataSet:
    """The data set called ``name``; raises :class:`InputError` for an unknown name."""
    for spec in DATA_SETS:
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in DATA_SETS)
    raise InputError(f"unknown data set {name!r} (known: {known})")


def label_of(value: object, positive: Iterable[str]) -> int | None:
    """1 when ``value`` is one of the ``positive`` labels, 0 for any other value, None when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    return 1 if text in set(positive) else 0


def read_examples(
    paths: list[str],
    *,
    text_fields: tuple[str, ...] = ("text",),
    label_field: str | None = "label",
    positive: tuple[str, ...] = ("1",),
    assume_label: int | None = None,
    source: str | None = None,
    cut_at: tuple[str, ...] = (),
    lang: str | None = None,
) -> Iterator[Example]:
    """Labelled examples from JSONL, JSON or CSV files (gzip or not).

    Records without text are skipped with a log message; a record without a
    label (and no ``assume_label``) raises :class:`InputError`, since an
    evaluation that silently drops labels would report the wrong figures.
    """
    options = ReadOptions(text_fields=text_fields, id_field="\x00no-id")
    for item in read_posts(paths, options):
        if isinstance(item, ReadError):
            log.info("skipped %s:%d: %s", item.source, item.line, item.error)
            continue
        post = item.post
        label = assume_label
        if label is None:
            raw = post.extra.get(label_field) if label_field is not None else None
            label = label_of(raw, positive)
            if label is None:
                raise InputError(
                    f"{item.source}:{item.line}: no label in field {label_field!r}"
                    " (use --label-field, or --assume-label for a set of one class)"
                )
        text = post.text
        for marker in cut_at:
            cut = text.find(marker)
            if cut > 0:
                text = text[:cut].rstrip()
        yield Example(text=text, label=label, source=source or item.source, lang=post.lang or lang)


def load_data_set(spec: DataSet, data_dir: Path, *, dedupe: bool = True) -> list[Example]:
    """Every example of ``spec`` under ``data_dir``, exact duplicates (by text) dropped.

    Raises :class:`InputError` when the file is missing.
    """
    path = data_dir / spec.path
    if not path.is_file():
        raise InputError(f"data set {spec.name}: {path} not found (is --data-dir right?)")
    examples = read_examples(
        [str(path)],
        text_fields=spec.text_fields,
        label_field=spec.label_field,
        positive=spec.positive,
        assume_label=spec.assume_label,
        source=spec.name,
        cut_at=spec.cut_at,
        lang=spec.lang,
    )
    if not dedupe:
        return list(examples)
    seen: set[str] = set()
    unique: list[Example] = []
    for example in examples:
        key = _SPACE.sub(" ", example.text).strip().casefold()
        if key in seen:
            continue
        seen.add(key)
        unique.append(example)
    return unique
