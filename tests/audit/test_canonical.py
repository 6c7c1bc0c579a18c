"""RFC 8785 canonical JSON: what is hashed and signed must serialise one way only."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suar.audit import CanonicalError, canonical_json, parse_canonical_object

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def test_keys_are_sorted_by_utf16_code_units() -> None:
    # RFC 8785 section 3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33.
    value = {"\ufb33": 1, "\U0001f600": 2, "a": 3, "\u00e9": 4}
    assert canonical_json(value) == '{"a":3,"\u00e9":4,"\U0001f600":2,"\ufb33":1}'.encode()


def test_no_whitespace_and_only_the_required_escapes() -> None:
    value = {"text": 'line\nbreak "quoted" \\ \u007f ไทย', "list": [1, True, None]}
    assert canonical_json(value) == (
        '{"list":[1,true,null],"text":"line\\nbreak \\"quoted\\" \\\\ \u007f ไทย"}'.encode()
    )


def test_numbers_follow_ecmascript() -> None:
    assert canonical_json([1.0, 0.5, 1e21, 1e-7, -0.0]) == b"[1,0.5,1e+21,1e-7,0]"


@pytest.mark.parametrize("bad", [float("nan"), 2**53, {1: "x"}, "\ud800", b"bytes", object()])
def test_what_json_cannot_carry_is_refused(bad: object) -> None:
    with pytest.raises(CanonicalError):
        canonical_json(bad)  # type: ignore[arg-type]


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_parsing_canonical_text_gives_back_the_same_bytes(value: dict[str, object]) -> None:
    text = canonical_json(value)  # type: ignore[arg-type]
    assert canonical_json(parse_canonical_object(text)) == text


@given(st.dictionaries(st.text(min_size=1, max_size=8), json_values, min_size=2, max_size=6))
def test_any_other_layout_of_the_same_object_is_not_canonical(value: dict[str, object]) -> None:
    pretty = json.dumps(value, indent=1, ensure_ascii=True)
    with pytest.raises(CanonicalError):
        parse_canonical_object(pretty)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[1]", "not a JSON object"),
        ('{"a":1,"a":2}', "duplicate key"),
        ('{"b":1,"a":2}', "not in RFC 8785 canonical form"),
        ("{", "not JSON"),
    ],
)
def test_non_canonical_text_is_named(text: str, says: str) -> None:
    with pytest.raises(CanonicalError, match=says):
        parse_canonical_object(text)
