"""Reading batches of posts: every format, and bad input that never stops a batch."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from suar.errors import InputError
from suar.reader import (
    MAX_RECORD_BYTES,
    ReadError,
    ReadItem,
    ReadOptions,
    ReadPost,
    check_readable,
    read_posts,
)


def read(path: Path, *, text_field: str = "text", id_field: str = "id") -> list[ReadItem]:
    options = ReadOptions(text_fields=(text_field,), id_field=id_field)
    return list(read_posts([str(path)], options))


def texts(items: list[ReadItem]) -> list[str]:
    return [i.post.text for i in items if isinstance(i, ReadPost)]


def errors(items: list[ReadItem]) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


def test_jsonl_records_keep_their_fields_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        '{"id": 7, "text": "first", "lang": "zh_hant", "country": "kh", "url": "https://x.test/1"}\n'
        "\n"
        '{"id": "b", "text": "second", "lang": "not a language", "country": "Cambodia"}\n',
        encoding="utf-8",
    )
    first, second = read(path)
    assert isinstance(first, ReadPost) and isinstance(second, ReadPost)
    assert (first.line, first.post.id, first.post.lang, first.post.country) == (
        1,
        "7",
        "zh-Hant",
        "KH",
    )
    assert first.post.url == "https://x.test/1"
    assert (second.line, second.post.lang, second.post.country) == (3, None, None)


def test_csv_with_multiline_fields_and_custom_columns(tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    path.write_text('ref,body\n1,"line one\nline two"\n2,plain\n', encoding="utf-8")
    items = read(path, text_field="body", id_field="ref")
    assert texts(items) == ["line one\nline two", "plain"]
    assert [(i.line, i.post.id) for i in items if isinstance(i, ReadPost)] == [(2, "1"), (4, "2")]


def test_csv_without_the_text_column_names_the_option_to_use(tmp_path: Path) -> None:
    path = tmp_path / "ads.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    [error] = errors(read(path))
    assert "--text-field" in error.error


def test_plain_text_is_one_post_per_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "posts.txt"
    path.write_text("first post\nstill first\n\n\nsecond post\n", encoding="utf-8")
    items = read(path)
    assert texts(items) == ["first post\nstill first", "second post"]
    assert [i.line for i in items] == [1, 5]


def test_gzip_is_read_transparently_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "posts.data"
    path.write_bytes(gzip.compress(b'{"text": "hello"}\n{"text": "world"}\n'))
    assert texts(read(path)) == ["hello", "world"]


def test_utf8_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "hello"}\n')
    assert texts(read(path)) == ["hello"]


def test_undecodable_bytes_give_an_error_and_the_next_record_is_read(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n{"text": "after"}\n')
    items = read(path)
    assert texts(items) == ["ok", "after"]
    [error] = errors(items)
    assert error.line == 2 and "UTF-8" in error.error


def test_undecodable_bytes_in_csv_and_text(tmp_path: Path) -> None:
    csv_path = tmp_path / "ads.csv"
    csv_path.write_bytes(b"id,text\n1,good\n2,b\xffad\n3,fine\n")
    items = read(csv_path)
    assert texts(items) == ["good", "fine"]
    assert [(e.line, e.id) for e in errors(items)] == [(3, "2")]
    txt = tmp_path / "posts.txt"
    txt.write_bytes(b"good\n\nb\xffad\n\nfine\n")
    items = read(txt)
    assert texts(items) == ["good", "fine"]
    assert [e.line for e in errors(items)] == [3]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"id": "x"}', "missing text field"),
        ('{"id": "x", "text": "   "}', "empty text field"),
        ('{"id": "x", "text": 42}', "not a string"),
        ("[" * 100_000 + "]" * 100_000, "JSON"),
    ],
)
def test_bad_jsonl_records_give_error_records(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(f'{{"text": "before"}}\n{line}\n{{"text": "after"}}\n', encoding="utf-8")
    items = read(path)
    assert texts(items) == ["before", "after"]
    [error] = errors(items)
    assert error.line == 2 and message in error.error


def test_error_records_keep_the_id_when_there_is_one(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"id": "p-9", "text": ""}\n', encoding="utf-8")
    [error] = errors(read(path))
    assert error.id == "p-9"


def test_a_line_over_one_megabyte_is_skipped_without_losing_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    huge = json.dumps({"text": "x" * (MAX_RECORD_BYTES + 10)})
    path.write_text(f'{{"text": "a"}}\n{huge}\n{{"text": "b"}}\n', encoding="utf-8")
    items = read(path)
    assert texts(items) == ["a", "b"]
    [error] = errors(items)
    assert error.line == 2 and "longer than 1 MB" in error.error


def test_binary_file_gives_one_error_and_the_next_file_is_read(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 10)
    good = tmp_path / "posts.jsonl"
    good.write_text('{"text": "hello"}\n', encoding="utf-8")
    items = list(read_posts([str(binary), str(good)]))
    [error] = errors(items)
    assert error.source == str(binary) and "binary" in error.error
    assert texts(items) == ["hello"]


def test_broken_gzip_keeps_what_was_read_and_reports_the_break(tmp_path: Path) -> None:
    body = "".join(json.dumps({"text": f"post {i} " + "y" * 200}) + "\n" for i in range(2000))
    data = gzip.compress(body.encode())
    path = tmp_path / "posts.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    read_ok = texts(items)
    assert 0 < len(read_ok) < 2000
    assert read_ok[0].startswith("post 0 ")
    [error] = errors(items)
    assert "corrupt or truncated" in error.error
    corrupt = tmp_path / "corrupt.jsonl.gz"
    corrupt.write_bytes(data[:20] + b"\x00garbage" * 50 + data[420:])
    assert "corrupt or truncated" in errors(read(corrupt))[-1].error


def test_unreadable_paths_are_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        check_readable([str(tmp_path / "missing.jsonl")])
    with pytest.raises(InputError, match="is a directory"):
        check_readable([str(tmp_path)])


def test_several_text_fields_are_joined_in_order(tmp_path: Path) -> None:
    path = tmp_path / "ads.jsonl"
    path.write_text(
        '{"title": "Admin", "body": "Work in Poipet"}\n{"title": "", "body": "Only body"}\n'
        '{"title": "Only title"}\n{"other": 1}\n',
        encoding="utf-8",
    )
    items = list(read_posts([str(path)], ReadOptions(text_fields=("title", "body"))))
    assert texts(items) == ["Admin\n\nWork in Poipet", "Only body", "Only title"]
    [error] = errors(items)
    assert "'title' + 'body'" in error.error


def test_json_documents_holding_an_array_of_records(tmp_path: Path) -> None:
    array = tmp_path / "jobs.json"
    array.write_text(
        '[{"id": 1, "text": "a"}, {"id": 2, "text": ""}, 3, {"text": "c"}]', encoding="utf-8"
    )
    items = read(array)
    assert texts(items) == ["a", "c"]
    assert [(e.line, e.id) for e in errors(items)] == [(2, "2"), (3, None)]
    wrapped = tmp_path / "export.json.gz"
    wrapped.write_bytes(
        gzip.compress(b'{\n "metadata": {"n": 2},\n "jobs": [{"text": "x"}, {"text": "y"}]\n}\n')
    )
    assert texts(read(wrapped)) == ["x", "y"]


def test_a_json_document_that_is_not_records_gives_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{\n "a": 1,\n "b": {"c": 2}\n}', encoding="utf-8")
    [error] = errors(read(path))
    assert "no array of records" in error.error
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "a"},\n {"text": ', encoding="utf-8")
    [error] = errors(read(broken))
    assert "invalid JSON" in error.error and error.line == 2
