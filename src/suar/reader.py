"""Reading batches of posts: JSONL, CSV or plain text, gzip or not, files or stdin.

Reading streams: one record at a time, whatever the size of the input. Nothing
in a file stops the batch: a record that cannot be read becomes a
:class:`ReadError` naming the source and line, and reading goes on with the
next record (or, when a compressed stream breaks or a file is binary, with
the next file). Only a file that cannot be opened at all stops a batch before
it starts (:func:`check_readable`).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, Literal

from suar.domain import Post
from suar.errors import InputError

log = logging.getLogger(__name__)

#: Longest record accepted (bytes of one JSONL line, CSV row or text paragraph).
MAX_RECORD_BYTES: Final = 1024 * 1024
_SNIFF_BYTES: Final = 8192
_OPTIONAL_FIELDS: Final = ("url", "posted_at", "author", "lang", "country")

#: Largest JSON document (an array of records) read whole; JSON Lines has no limit.
MAX_DOCUMENT_BYTES: Final = 256 * 1024 * 1024

InputFormat = Literal["auto", "jsonl", "json", "csv", "text"]


@dataclass(frozen=True, slots=True)
class ReadPost:
    """A post read from ``source`` at 1-based ``line``."""

    source: str
    line: int
    post: Post


@dataclass(frozen=True, slots=True)
class ReadError:
    """A record of ``source`` at ``line`` that could not be read, and why."""

    source: str
    line: int
    id: str | None
    error: str


ReadItem = ReadPost | ReadError


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How records are read: which fields hold the text and the id, and the format."""

    #: fields holding the text; several are joined by a blank line, in order
    text_fields: tuple[str, ...] = ("text",)
    id_field: str = "id"
    input_format: InputFormat = "auto"


class _RecordTooLong(Exception):
    pass


def check_readable(paths: list[str]) -> None:
    """Raise :class:`InputError` unless every path (or ``-``) can be opened for reading."""
    for name in paths:
        if name == "-":
            continue
        path = Path(name)
        if not path.exists():
            raise InputError(f"cannot read {name}: no such file")
        if path.is_dir():
            raise InputError(f"cannot read {name}: is a directory")
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc


def read_posts(
    paths: list[str],
    options: ReadOptions = ReadOptions(),
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> Iterator[ReadItem]:
    """Yield every post (or read error) of ``paths`` in order; ``-`` is standard input.

    ``on_progress(source, bytes_done, bytes_total)`` is called as files are read
    (``bytes_total`` is 0 when unknown, as for stdin).
    """
    for name in paths:
        yield from _read_one(name, options, on_progress)


def _open_raw(name: str) -> tuple[IO[bytes], int]:
    if name == "-":
        return sys.stdin.buffer, 0
    try:
        size = os.path.getsize(name)
        return open(name, "rb"), size  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from the underlying file, for progress bars."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def _read_one(
    name: str, options: ReadOptions, on_progress: Callable[[str, int, int], None] | None
) -> Iterator[ReadItem]:
    raw, size = _open_raw(name)
    counter = _CountingReader(raw)
    buffered = io.BufferedReader(counter, buffer_size=1 << 16)
    try:
        head = buffered.peek(2)[:2]
        stream: IO[bytes]
        if head == b"\x1f\x8b":
            stream = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        else:
            stream = buffered
        lines = _PhysicalLines(stream, name)
        try:
            sniff = lines.peek(_SNIFF_BYTES)
        except _BrokenStream as exc:
            yield ReadError(name, 1, None, str(exc))
            return
        if b"\x00" in sniff:
            yield ReadError(
                name,
                1,
                None,
                "binary file (contains NUL bytes); expected UTF-8 JSONL, CSV or text"
                " (UTF-16 text must be converted to UTF-8)",
            )
            return
        fmt = _choose_format(name, sniff, options.input_format)
        reader = {
            "jsonl": _jsonl_records,
            "json": _json_document_records,
            "csv": _csv_records,
            "text": _text_records,
        }[fmt]
        last_report = 0
        for item in reader(lines, name, options):
            yield item
            if on_progress is not None and counter.count - last_report >= 1 << 16:
                last_report = counter.count
                on_progress(name, counter.count, size)
        if lines.broken is not None:
            yield ReadError(name, lines.broken[0], None, lines.broken[1])
        if on_progress is not None:
            on_progress(name, size or counter.count, size)
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def _choose_format(name: str, sniff: bytes, requested: InputFormat) -> str:
    if requested != "auto":
        return requested
    lower = name.lower().removesuffix(".gz")
    start = sniff.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        return "json"
    if lower.endswith(".json"):
        return "jsonl" if _first_line_is_object(start) else "json"
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith((".csv", ".tsv")):
        return "csv"
    if lower.endswith((".txt", ".text")):
        return "text"
    if start.startswith(b"{"):
        return "jsonl"
    return "text"


def _first_line_is_object(start: bytes) -> bool:
    """Whether a ``.json`` file begins with a one-line JSON object (so it is JSON Lines)."""
    first = start.split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


class _BrokenStream(Exception):
    pass


class _PhysicalLines:
    """Physical lines of a byte stream, each capped at :data:`MAX_RECORD_BYTES`.

    A broken compressed stream ends the lines and is remembered in
    :attr:`broken` as (line, message).
    """

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self._stream = stream
        self._name = name
        self._pending = b""
        self.number = 0
        self.broken: tuple[int, str] | None = None

    def peek(self, n: int) -> bytes:
        while len(self._pending) < n:
            chunk = self._guarded(lambda: self._stream.read(n - len(self._pending)))
            if not chunk:
                break
            self._pending += chunk
        return self._pending[:n]

    def read_all(self, limit: int) -> bytes | None:
        """The rest of the stream, or None when it is longer than ``limit`` bytes."""
        chunks = [self._pending]
        size = len(self._pending)
        self._pending = b""
        while size <= limit:
            chunk = self._guarded(lambda: self._stream.read(1 << 20))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        return None

    def _guarded(self, read: Callable[[], bytes]) -> bytes:
        try:
            return read()
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise _BrokenStream(
                f"compressed stream is corrupt or truncated ({exc}); records after this point were not read"
            ) from exc
        except OSError as exc:
            raise _BrokenStream(f"read failed: {exc}") from exc

    def _readline(self, limit: int) -> bytes:
        if self._pending:
            idx = self._pending.find(b"\n", 0, limit)
            if idx >= 0:
                line, self._pending = self._pending[: idx + 1], self._pending[idx + 1 :]
                return line
            if len(self._pending) >= limit:
                line, self._pending = self._pending[:limit], self._pending[limit:]
                return line
            head, self._pending = self._pending, b""
            return head + self._guarded(lambda: self._stream.readline(limit - len(head)))
        return self._guarded(lambda: self._stream.readline(limit))

    def __iter__(self) -> Iterator[tuple[int, bytes | None]]:
        """Yield (line number, bytes) — bytes is None for a line over the limit."""
        while True:
            try:
                line = self._readline(MAX_RECORD_BYTES + 1)
            except _BrokenStream as exc:
                self.broken = (self.number + 1, str(exc))
                return
            if not line:
                return
            self.number += 1
            if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                # Skip the rest of the over-long line without holding it.
                try:
                    while True:
                        rest = self._readline(MAX_RECORD_BYTES)
                        if not rest or rest.endswith(b"\n"):
                            break
                except _BrokenStream as exc:
                    self.broken = (self.number, str(exc))
                    yield self.number, None
                    return
                yield self.number, None
                continue
            yield self.number, line


def _decode(raw: bytes, line: int) -> str:
    if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"undecodable bytes at byte {exc.start} of the line (input must be UTF-8)"
        ) from exc


def _too_long() -> str:
    return f"record longer than {MAX_RECORD_BYTES // (1024 * 1024)} MB"


def _clean_optional(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


_LANG_TAG: Final = re.compile(
    r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$"
)


def _clean_lang(value: str | None) -> str | None:
    """A BCP-47 tag in canonical case ("zh-Hant-TW"), or None when it is not one."""
    if value is None:
        return None
    m = _LANG_TAG.match(value.strip())
    if m is None:
        return None
    lang, script, region = m.groups()
    parts = [lang.lower()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def _post_from_mapping(
    record: dict[str, Any], options: ReadOptions
) -> tuple[Post | None, str | None, str | None]:
    """(post, id, error) from a decoded record."""
    raw_id = record.get(options.id_field)
    record_id = _clean_optional(raw_id)
    names = " + ".join(repr(f) for f in options.text_fields)
    present = [record.get(f) for f in options.text_fields if record.get(f) is not None]
    if not present:
        return None, record_id, f"missing text field {names}"
    if not all(isinstance(v, str) for v in present):
        return None, record_id, f"text field {names} is not a string"
    parts = [v.strip() for v in present if isinstance(v, str) and v.strip()]
    if not parts:
        return None, record_id, f"empty text field {names}"
    text = parts[0] if len(parts) == 1 and len(present) == 1 else "\n\n".join(parts)
    fields = {name: _clean_optional(record.get(name)) for name in _OPTIONAL_FIELDS}
    fields["lang"] = _clean_lang(fields["lang"])
    country = fields["country"]
    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        fields["country"] = None
    elif country is not None:
        fields["country"] = country.upper()
    extra = {
        k: v
        for k, v in record.items()
        if k not in (*options.text_fields, options.id_field, *_OPTIONAL_FIELDS)
    }
    post = Post(text=text, id=record_id, extra=extra, **fields)
    return post, record_id, None


def _jsonl_records(lines: _PhysicalLines, name: str, options: ReadOptions) -> Iterator[ReadItem]:
    for number, raw in lines:
        if raw is None:
            yield ReadError(name, number, None, _too_long())
            continue
        try:
            line = _decode(raw, number)
        except InputError as exc:
            yield ReadError(name, number, None, str(exc))
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(name, number, None, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield ReadError(name, number, None, "invalid JSON: nested too deeply")
            continue
        if not isinstance(record, dict):
            yield ReadError(
                name, number, None, f"expected a JSON object, got {type(record).__name__}"
            )
            continue
        post, record_id, error = _post_from_mapping(record, options)
        if post is None:
            yield ReadError(name, number, record_id, error or "unreadable record")
        else:
            yield ReadPost(name, number, post)


def _text_records(lines: _PhysicalLines, name: str, options: ReadOptions) -> Iterator[ReadItem]:
    """One post per paragraph: paragraphs are separated by blank lines."""
    buffer: list[str] = []
    size = 0
    start = 0
    bad: str | None = None

    def flush() -> Iterator[ReadItem]:
        if bad is not None:
            yield ReadError(name, start, None, bad)
        elif buffer:
            text = "".join(buffer).strip()
            if text:
                yield ReadPost(name, start, Post(text=text))

    for number, raw in lines:
        if raw is not None and not raw.strip():
            yield from flush()
            buffer, size, start, bad = [], 0, 0, None
            continue
        if not start:
            start = number
        if bad is not None:
            continue
        if raw is None or size + len(raw) > MAX_RECORD_BYTES:
            bad, buffer = _too_long(), []
            continue
        try:
            buffer.append(_decode(raw, number))
            size += len(raw)
        except InputError as exc:
            bad, buffer = f"line {number}: {exc}", []
    yield from flush()


def _csv_records(lines: _PhysicalLines, name: str, options: ReadOptions) -> Iterator[ReadItem]:
    """CSV with a header row; quoted fields may span lines."""
    bad_lines: dict[int, str] = {}
    numbers: list[int] = [0]

    def decoded() -> Iterator[str]:
        for number, raw in lines:
            numbers[0] = number
            if raw is None:
                bad_lines[number] = _too_long()
                yield "\n"
                continue
            try:
                yield _decode(raw, number)
            except InputError as exc:
                bad_lines[number] = str(exc)
                yield raw.decode("utf-8", errors="replace")

    delimiter = "\t" if name.lower().removesuffix(".gz").endswith(".tsv") else ","
    reader = csv.reader(decoded(), delimiter=delimiter, strict=False)
    csv.field_size_limit(MAX_RECORD_BYTES + 1)
    header: list[str] | None = None
    row_start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ReadError(name, row_start, None, f"invalid CSV: {exc}")
            row_start = numbers[0] + 1
            continue
        row_end = numbers[0]
        problems = [bad_lines.pop(n) for n in range(row_start, row_end + 1) if n in bad_lines]
        if header is None:
            header = [h.strip() for h in row]
            if problems:
                yield ReadError(name, row_start, None, f"unreadable header: {problems[0]}")
                return
            missing = [f for f in options.text_fields if f not in header]
            if missing:
                yield ReadError(
                    name,
                    row_start,
                    None,
                    f"no column {missing[0]!r} in the CSV header (use --text-field)",
                )
                return
            row_start = row_end + 1
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            row_start = row_end + 1
            continue
        record = dict(zip(header, row, strict=False))
        record_id = _clean_optional(record.get(options.id_field))
        if problems:
            yield ReadError(name, row_start, record_id, problems[0])
        elif sum(len(v) for v in row) > MAX_RECORD_BYTES:
            yield ReadError(name, row_start, record_id, _too_long())
        else:
            post, record_id, error = _post_from_mapping(dict(record), options)
            if post is None:
                yield ReadError(name, row_start, record_id, error or "unreadable record")
            else:
                yield ReadPost(name, row_start, post)
        row_start = row_end + 1


def _record_list(document: Any) -> list[Any] | None:
    """The records of a JSON document: a top-level array, or the one array of objects in an object."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        arrays = [
            v
            for v in document.values()
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v[:100])
        ]
        if len(arrays) == 1:
            return arrays[0]
    return None


def _json_document_records(
    lines: _PhysicalLines, name: str, options: ReadOptions
) -> Iterator[ReadItem]:
    """A whole JSON document holding an array of records; ``line`` is the record's 1-based position."""
    try:
        data = lines.read_all(MAX_DOCUMENT_BYTES)
    except _BrokenStream as exc:
        yield ReadError(name, 1, None, str(exc))
        return
    if data is None:
        limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
        yield ReadError(
            name, 1, None, f"JSON document larger than {limit} MB: convert it to JSON Lines"
        )
        return
    try:
        document = json.loads(_decode(data, 1))
    except InputError as exc:
        yield ReadError(name, 1, None, str(exc))
        return
    except json.JSONDecodeError as exc:
        yield ReadError(name, exc.lineno, None, f"invalid JSON: {exc.msg} at column {exc.colno}")
        return
    except RecursionError:
        yield ReadError(name, 1, None, "invalid JSON: nested too deeply")
        return
    records = _record_list(document)
    if records is None:
        yield ReadError(
            name, 1, None, "JSON document holds no array of records (expected [{...}, ...])"
        )
        return
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield ReadError(
                name, position, None, f"expected a JSON object, got {type(record).__name__}"
            )
            continue
        post, record_id, error = _post_from_mapping(record, options)
        if post is None:
            yield ReadError(name, position, record_id, error or "unreadable record")
        elif len(post.text.encode("utf-8")) > MAX_RECORD_BYTES:
            yield ReadError(name, position, record_id, _too_long())
        else:
            yield ReadPost(name, position, post)
