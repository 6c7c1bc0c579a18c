"""The shipped warninglist and rules load, and malformed versions are refused with the reason."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suar.domain import INDICATOR_KINDS
from suar.errors import DataError
from suar.warn.linking import link_key
from suar.warn.rules import parse_rules, rules
from suar.warn.tlp import Tlp, parse_tlp, strictest
from suar.warn.warninglist import parse_warninglist, warninglist


def shipped(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("suar.warn").joinpath("data", name).read_text("utf-8")
    )
    return data


def test_the_shipped_files_load() -> None:
    assert rules().campaigns.unrelated_posts_cap >= 2
    assert "facebook.com" in warninglist().domains


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(version=2), "version 1"),
        (lambda d: d["domains"].update(values="facebook.com"), "domains.values"),
        (lambda d: d["phones"].update(patterns=["("]), "bad phone pattern"),
        (lambda d: d["phones"].update(values=["0812"]), "not in E.164 form"),
        (lambda d: d["phones"].update(min_digits=0), "min_digits"),
    ],
)
def test_a_malformed_warninglist_is_refused(edit: Any, message: str) -> None:
    data = copy.deepcopy(shipped("warninglist.json"))
    edit(data)
    with pytest.raises(DataError, match=message):
        parse_warninglist(data)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("campaigns"), "missing object campaigns"),
        (lambda d: d["campaigns"].update(bucket_cap=0), "bucket_cap"),
        (lambda d: d["alerts"]["spike"].update(factor=1), "factor"),
        (lambda d: d["alerts"]["high_risk_campaign"].update(level="urgent"), "not a level"),
    ],
)
def test_malformed_rules_are_refused(edit: Any, message: str) -> None:
    data = copy.deepcopy(shipped("rules.json"))
    edit(data)
    with pytest.raises(DataError, match=message):
        parse_rules(data)


@pytest.mark.parametrize(
    ("kind", "value", "attrs", "key"),
    [
        ("phone", "+855886246748", {}, ("phone", "+855886246748")),
        ("telegram", "+855886246748", {"type": "phone"}, ("phone", "+855886246748")),
        ("telegram", "hr_asia_jobs", {}, ("telegram", "hr_asia_jobs")),
        ("telegram", "admin", {}, None),
        ("phone", "+6681191", {}, None),
        ("phone", "+6281234567890", {}, None),
        ("phone", "+12025550142", {}, None),
        ("domain", "goldenjob88.top", {}, ("domain", "goldenjob88.top")),
        ("domain", "wa.me", {}, None),
        ("domain", "dfa.gov.ph", {}, None),
        ("email", "hr@example.com", {}, None),
        ("email", "recruit.asia88@gmail.com", {}, ("email", "recruit.asia88@gmail.com")),
        ("facebook", "facebook.com/groups/jobs", {"type": "group"}, None),
        (
            "facebook",
            "facebook.com/goldenjobs",
            {"type": "page"},
            ("facebook", "facebook.com/goldenjobs"),
        ),
        ("url", "http://bit.ly/abc123", {"host": "bit.ly"}, ("url", "http://bit.ly/abc123")),
        ("url", "http://bit.ly/", {"host": "bit.ly"}, None),
        ("url", "https://www.goldenjob88.top/apply", {"host": "www.goldenjob88.top"}, None),
        ("wallet", "0x0000000000000000000000000000000000000000", {}, None),
        ("money", "USD 1500/month", {}, None),
        ("place", "kh-poipet", {}, None),
    ],
)
def test_only_strong_specific_values_link(
    kind: str, value: str, attrs: dict[str, Any], key: Any
) -> None:
    assert link_key(kind, value, attrs, warninglist(), 500) == key


def test_tlp_labels_read_loosely_and_the_strictest_wins() -> None:
    assert parse_tlp("tlp:amber+strict") is Tlp.AMBER_STRICT
    assert strictest(["GREEN", Tlp.RED, "AMBER"]) is Tlp.RED
    assert strictest([]) is Tlp.CLEAR
    with pytest.raises(Exception, match="unknown TLP label"):
        parse_tlp("WHITE")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([*INDICATOR_KINDS, "nonsense"]),
    st.text(max_size=60),
    st.dictionaries(st.sampled_from(["host", "type", "country", "x"]), _JSON, max_size=3),
)
def test_any_indicator_gets_a_link_key_or_none_never_an_error(
    kind: str, value: str, attrs: dict[str, Any]
) -> None:
    key = link_key(kind, value, attrs, warninglist(), 500)
    assert key is None or (isinstance(key[0], str) and key[1] == value)
