"""Ingest: read posts, detect, store them with provenance, assign campaigns, raise alerts.

Posts are keyed by (source, key): the key is the record's own id, or
``sha256:<hex>`` of its text when it has none, so ingesting the same input
again adds nothing. ``source`` names the feed the posts come from (``--source``,
``local`` by default): ids are only unique within one feed. A record whose key
is already stored with a different text is a *conflict*: it is reported and
not stored.

Work goes in batches. Each batch is read and checked against what is stored;
its posts are detected (or their precomputed finding taken, when a record
carries a ``finding`` of the current detector version) and fingerprinted
outside any transaction, in worker processes when asked; then one unit of
work stores the batch's posts, images and findings, assigns them to
campaigns, raises alerts and records one ``post.ingest`` audit entry, and
commits. A process killed at any moment loses no committed batch and leaves
no half batch behind; running the same command again stores exactly what is
missing.
"""

from suar.ingest.job import (
    DEFAULT_BATCH,
    DEFAULT_SOURCE,
    MAX_JOBS,
    Ingest,
    IngestOptions,
    IngestStats,
    Problem,
    check_options,
    ingest,
)
from suar.ingest.records import (
    FindingData,
    content_key,
    finding_from_record,
    images_of,
    parse_time,
)

__all__ = [
    "DEFAULT_BATCH",
    "DEFAULT_SOURCE",
    "MAX_JOBS",
    "FindingData",
    "Ingest",
    "IngestOptions",
    "IngestStats",
    "Problem",
    "check_options",
    "content_key",
    "finding_from_record",
    "images_of",
    "ingest",
    "parse_time",
]
