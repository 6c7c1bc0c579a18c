"""The audit trail: numbered, hash-chained entries with signed checkpoints.

Every pillar records what it does with :func:`record`, inside the unit of work
that makes the change. ``suar audit verify`` walks the chain with
:func:`verify_trail`; checkpoints of the head are signed with the node key
(:func:`load_or_create_node_key`), which the exchange reuses.
"""

from suar.audit.canonical import CanonicalError, JSONValue, canonical_json, parse_canonical_object
from suar.audit.chain import (
    Problem,
    ProblemKind,
    Verification,
    issue_checkpoint,
    verify_rows,
    verify_trail,
)
from suar.audit.checkpoint import PURPOSE as CHECKPOINT_PURPOSE
from suar.audit.checkpoint import Checkpoint, parse_checkpoint, read_checkpoint, sign_checkpoint
from suar.audit.export import ExportSummary, export_jsonl
from suar.audit.signing import (
    NodeKey,
    fingerprint,
    load_node_key,
    load_or_create_node_key,
    trusted_public_keys,
    verify_signature,
)
from suar.audit.trail import GENESIS_HASH, AuditEntry, AuditError, entry_hash, head, record

__all__ = [
    "CHECKPOINT_PURPOSE",
    "GENESIS_HASH",
    "AuditEntry",
    "AuditError",
    "CanonicalError",
    "Checkpoint",
    "ExportSummary",
    "JSONValue",
    "NodeKey",
    "Problem",
    "ProblemKind",
    "Verification",
    "canonical_json",
    "entry_hash",
    "export_jsonl",
    "fingerprint",
    "head",
    "issue_checkpoint",
    "load_node_key",
    "load_or_create_node_key",
    "parse_canonical_object",
    "parse_checkpoint",
    "read_checkpoint",
    "record",
    "sign_checkpoint",
    "trusted_public_keys",
    "verify_rows",
    "verify_signature",
    "verify_trail",
]
