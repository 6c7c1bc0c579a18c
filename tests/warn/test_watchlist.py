"""Watchlist values are read in any common notation and stored as the detector writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.errors import InputError
from suar.store import Database
from suar.warn.watchlist import (
    WATCH_KINDS,
    import_entries,
    list_entries,
    normalize_value,
    read_watchlist_file,
)

from .records import OPERATOR


@pytest.mark.parametrize(
    ("kind", "value", "country", "expected"),
    [
        ("phone", "+66 81 234 5678", None, "+66812345678"),
        ("phone", "081-234-5678", "TH", "+66812345678"),
        ("whatsapp", "+855 12 345 678", None, "+85512345678"),
        ("telegram", "@HR_Asia_Jobs", None, "hr_asia_jobs"),
        ("telegram", "https://t.me/hr_asia_jobs", None, "hr_asia_jobs"),
        ("line", "~happyjob", None, "happyjob"),
        ("domain", "https://www.GoldenJob88.top/apply", None, "goldenjob88.top"),
        ("domain", "jobs.example.co.th", None, "example.co.th"),
        ("email", "Recruit.Asia88@Gmail.com", None, "recruit.asia88@gmail.com"),
        (
            "wallet",
            "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01",
            None,
            "0xabcdef0123456789abcdef0123456789abcdef01",
        ),
        ("wallet", "TXyz1234567890abcdEFGH", None, "TXyz1234567890abcdEFGH"),
        ("facebook", "https://m.facebook.com/GoldenJobs", None, "facebook.com/goldenjobs"),
        ("url", "bit.ly/AbC123", None, "http://bit.ly/AbC123"),
    ],
)
def test_values_are_normalised_like_the_detector_writes_them(
    kind: str, value: str, country: str | None, expected: str
) -> None:
    assert normalize_value(kind, value, country=country) == expected


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("phone", "081 234 5678", "with its country code"),
        ("phone", "not a number", "not a phone number"),
        ("horoscope", "leo", "cannot watch 'horoscope' values"),
        ("domain", "localhost", "not a domain"),
        ("email", "nobody", "not an e-mail address"),
        ("facebook", "https://example.com/x", "not a Facebook page"),
        ("telegram", "   ", "1 to 1000 characters"),
    ],
)
def test_values_that_cannot_be_read_are_refused_with_the_reason(
    kind: str, value: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        normalize_value(kind, value)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(WATCH_KINDS), st.text(max_size=80))
def test_any_input_is_normalised_or_refused_never_crashes(kind: str, value: str) -> None:
    try:
        out = normalize_value(kind, value)
    except InputError:
        return
    assert out and out == out.strip()


def test_a_file_is_imported_line_by_line_and_bad_lines_are_named(
    db: Database, tmp_path: Path
) -> None:
    csv_path = tmp_path / "list.csv"
    csv_path.write_text(
        "kind,value,note\nphone,+66 81 234 5678,from TH\ntelegram,@hr_asia_jobs,\nhoroscope,leo,\n",
        encoding="utf-8",
    )
    jsonl_path = tmp_path / "list.jsonl"
    jsonl_path.write_text(
        '{"kind": "domain", "value": "goldenjob88.top"}\n{broken\n{"kind": "phone", "value": "+66812345678"}\n',
        encoding="utf-8",
    )
    with db.write() as session:
        added, refused = import_entries(session, OPERATOR, read_watchlist_file(csv_path))
    assert [a.entry.value for a in added] == ["+66812345678", "hr_asia_jobs"]
    assert [(r.line, r.kind) for r in refused] == [(4, "horoscope")]
    with db.write() as session:
        again, bad = import_entries(session, OPERATOR, read_watchlist_file(jsonl_path))
    assert [(a.entry.value, a.created) for a in again] == [
        ("goldenjob88.top", True),
        ("+66812345678", False),
    ]
    assert [r.line for r in bad] == [2]
    with db.read() as session:
        assert {e.value for e in list_entries(session, OPERATOR)} == {
            "+66812345678",
            "hr_asia_jobs",
            "goldenjob88.top",
        }


def test_a_csv_without_kind_and_value_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="kind and value columns"):
        list(read_watchlist_file(path))


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("kakaotalk", "/\r0"),
        ("telegram", "t.me/hr jobs"),
        ("email", "hr\tjobs@example.com"),
        ("wallet", "0xab cd"),
    ],
)
def test_values_with_spaces_or_line_breaks_inside_are_refused(kind: str, value: str) -> None:
    with pytest.raises(InputError):
        normalize_value(kind, value)
