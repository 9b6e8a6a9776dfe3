"""Reading inputs: text files, folders, JSONL, stdin, and a clear one-line InputError for each bad item."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.records import content_hash
from graphkit.sources import Article, iter_sources, parse_date


def read(paths, **kw):
    return list(iter_sources([str(p) for p in paths], **kw))


def only_error(items) -> str:
    assert len(items) == 1, items
    assert isinstance(items[0], InputError), items
    message = str(items[0])
    assert "\n" not in message
    return message


def test_text_file_key_title_and_document(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    text = "Russia backs Haftar\n\nMoscow has backed the general for years.\n"
    path.write_text(text, encoding="utf-8")
    [article] = read([path])
    assert article == Article(key=str(path), text=text, title="Russia backs Haftar")
    doc = article.document()
    assert doc.id == content_hash(text) and doc.key == str(path) and doc.text == text


def test_no_title_without_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("First sentence.\nSecond sentence.\n", encoding="utf-8")
    [article] = read([path])
    assert article.title is None


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffEgypt supports Haftar.".encode())
    [article] = read([path])
    assert article.text == "Egypt supports Haftar."


def test_folder_is_recursive_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Bee text.", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text("Sub text.", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Line text.", "id": "x1"}) + "\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    keys = [a.key for a in read([tmp_path])]
    assert keys == ["x1", str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.txt")]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    assert "no .txt or .jsonl" in only_error(read([tmp_path]))


def test_jsonl_fields_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": "n1", "text": "Turkey opposes Haftar.", "title": "T", "date": "2019-05-02", "url": "http://x/1"},
        {"text": "Egypt backs Haftar.", "date": "2019-05-03T10:00:00Z"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    first, second = read([path])
    assert first == Article(key="n1", text="Turkey opposes Haftar.", title="T", date="2019-05-02",
                            source="http://x/1")
    assert second.key == f"{path}:2" and second.date == "2019-05-03" and second.title is None


def test_jsonl_bad_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join([
            '{"text": "Good one."}',
            '{"text": "unterminated',
            '["a list"]',
            '{"title": "no text"}',
            '{"text": "   "}',
            '{"text": "Bad date.", "date": "yesterday"}',
            '{"text": "Bad title.", "title": 3}',
            '{"text": "Good two.", "id": 7}',
        ]) + "\n",
        encoding="utf-8",
    )
    items = read([path])
    assert [a.key for a in items if isinstance(a, Article)] == [f"{path}:1", "7"]
    errors = [str(e) for e in items if isinstance(e, InputError)]
    assert len(errors) == 6
    assert errors[0].startswith(f"{path}:2: malformed JSON")
    assert errors[1] == f"{path}:3: expected a JSON object, found a list"
    assert errors[2] == f"{path}:4: no 'text' field"
    assert errors[3] == f"{path}:5: 'text' is empty"
    assert "not an ISO 8601 date" in errors[4] and errors[4].startswith(f"{path}:6:")
    assert errors[5].startswith(f"{path}:7: 'title' must be a string")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    assert only_error(read([path])) == f"{path}: no such file or folder"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(" \n\n", encoding="utf-8")
    assert only_error(read([path])) == f"{path}: empty file, no text to read"
    jsonl = tmp_path / "empty.jsonl"
    jsonl.write_bytes(b"")
    assert only_error(read([jsonl])).startswith(f"{jsonl}: empty file")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    message = only_error(read([path]))
    assert message.startswith(f"{path}: binary data") and "byte 8" in message


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("First line.\nCaf\u00e9 talks.".encode("latin-1"))
    message = only_error(read([path]))
    assert message == f"{path}: invalid UTF-8 at byte 15 (line 2, byte 0xe9)"


def test_invalid_utf8_in_jsonl_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    items = read([path])
    assert isinstance(items[0], Article)
    assert str(items[1]).startswith(f"{path}:2: invalid UTF-8 at byte 13")


def test_huge_file_and_configurable_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Libya. " * 200, encoding="utf-8")
    message = only_error(read([path], max_bytes=1000))
    assert message.startswith(f"{path}: file too large (1400 bytes") and "1000 bytes limit" in message
    [article] = read([path], max_bytes=2000)
    assert isinstance(article, Article)


def test_huge_jsonl_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"text": "x " * 600}) + "\n" + json.dumps({"text": "Small one."}) + "\n", encoding="utf-8"
    )
    first, second = read([path], max_bytes=500)
    assert isinstance(first, InputError) and str(first).startswith(f"{path}:1: line too large")
    assert isinstance(second, Article) and second.key == f"{path}:2" and second.text == "Small one."


def test_bad_item_does_not_stop_the_rest(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Qatar backs the GNA.", encoding="utf-8")
    items = read([tmp_path / "missing.txt", good])
    assert isinstance(items[0], InputError) and isinstance(items[1], Article)


def test_stdin_text() -> None:
    stream = io.BytesIO("Headline here\n\nFrance meets Italy.\n".encode())
    [article] = list(iter_sources(["-"], stdin=stream))
    assert article.key == "<stdin>" and article.title == "Headline here"
    assert article.text == "Headline here\n\nFrance meets Italy.\n"


def test_stdin_jsonl() -> None:
    body = "\n" + json.dumps({"text": "A meets B.", "id": "s1"}) + "\n" + json.dumps({"text": "C backs D."}) + "\n"
    items = list(iter_sources(["-"], stdin=io.BytesIO(body.encode())))
    assert [a.key for a in items] == ["s1", "<stdin>:2"]
    assert [a.text for a in items] == ["A meets B.", "C backs D."]


def test_stdin_bad_input() -> None:
    assert "empty" in only_error(list(iter_sources(["-"], stdin=io.BytesIO(b""))))
    assert "binary data" in only_error(list(iter_sources(["-"], stdin=io.BytesIO(b"ab\x00cd"))))
    assert "too large" in only_error(list(iter_sources(["-"], stdin=io.BytesIO(b"word " * 100), max_bytes=50)))


def test_streams_lazily(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    items = iter_sources([str(tmp_path / "a.txt"), str(tmp_path / "later.txt")])
    assert isinstance(next(items), Article)
    (tmp_path / "later.txt").write_text("Written after the first article was read.", encoding="utf-8")
    assert isinstance(next(items), Article)


@pytest.mark.parametrize(("value", "expected"), [
    ("2020-01-31", "2020-01-31"), ("2020-01-31T23:59:00+02:00", "2020-01-31"), ("31/01/2020", None), ("", None),
])
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected
