"""Read articles from files, folders, JSONL and stdin; bad items become InputErrors so a run can go on."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from .errors import InputError
from .records import Document, content_hash

__all__ = ["DEFAULT_MAX_BYTES", "STDIN", "Article", "iter_sources", "parse_date"]

#: The largest article (a .txt file, one JSONL line or stdin text) read by default: 5 MB.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: The path that means standard input.
STDIN = "-"
_STDIN_NAME = "<stdin>"
_TEXT_SUFFIXES = (".txt",)
_JSONL_SUFFIXES = (".jsonl",)
_MAX_TITLE = 300


@dataclass(frozen=True)
class Article:
    """One input article before extraction; ``key`` is the id users see (JSONL id, "path:line" or the path)."""

    key: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None  # the article's URL or outlet when given

    @property
    def id(self) -> str:
        """The content hash the stores use to recognise a document."""
        return content_hash(self.text)

    def document(self) -> Document:
        """The Document record for this article (``ingested_at`` is set by the store)."""
        return Document(
            id=self.id, key=self.key, text=self.text, title=self.title, source=self.source, date=self.date
        )


def iter_sources(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: IO[bytes] | None = None
) -> Iterator[Article | InputError]:
    """Yield an Article for every readable article in ``paths``, and an InputError for every bad one.

    A path is a text file (key = the path as given), a folder (its *.txt and *.jsonl files, recursively,
    sorted), a .jsonl file (one JSON object a line with ``text`` and optional ``title``, ``date``, ``url``,
    ``id``) or ``-`` for standard input (JSONL when its first line is a JSON object, else one text).
    ``max_bytes`` limits the size of one article (a text file, a JSONL line or stdin text).
    """
    if max_bytes <= 0:
        raise InputError(f"the size limit must be positive, got {max_bytes}")
    for spec in paths:
        name = str(spec)
        if name == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in _TEXT_SUFFIXES + _JSONL_SUFFIXES and p.is_file()
            )
            if not files:
                yield InputError(f"{name}: folder holds no .txt or .jsonl files")
            for file in files:
                yield from _read_path(file, str(file), max_bytes)
        else:
            yield from _read_path(path, name, max_bytes)


# --------------------------------------------------------------------------------------------- files


def _read_path(path: Path, name: str, max_bytes: int) -> Iterator[Article | InputError]:
    if not path.exists():
        yield InputError(f"{name}: no such file or folder")
        return
    if not path.is_file():
        yield InputError(f"{name}: not a regular file")
        return
    if path.suffix.lower() in _JSONL_SUFFIXES:
        try:
            with path.open("rb") as handle:
                yield from _read_jsonl(handle, name, max_bytes)
        except OSError as exc:
            yield InputError(f"{name}: cannot read ({exc.strerror or exc})")
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield InputError(f"{name}: file too large ({_mb(size)}, over the {_mb(max_bytes)} limit)")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(f"{name}: cannot read ({exc.strerror or exc})")
        return
    yield _text_article(data, name)


def _text_article(data: bytes, name: str) -> Article | InputError:
    text = _decode(data, name)
    if isinstance(text, InputError):
        return text
    if not text.strip():
        return InputError(f"{name}: empty file, no text to read")
    return Article(key=name, text=text, title=_title(text))


def _decode(data: bytes, where: str) -> str | InputError:
    """UTF-8 text without a byte-order mark, or an InputError for binary data and bad UTF-8."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return InputError(f"{where}: binary data, not text (NUL byte at byte {nul})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return InputError(
            f"{where}: invalid UTF-8 at byte {exc.start} (line {line}, byte 0x{data[exc.start]:02x})"
        )


def _title(text: str) -> str | None:
    """The first line when a blank line follows it (a headline), else None."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n", 2)
    if len(lines) >= 2 and lines[0].strip() and not lines[1].strip():
        title = lines[0].strip()
        return title if len(title) <= _MAX_TITLE else None
    return None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size} bytes"


# --------------------------------------------------------------------------------------------- JSONL


def _read_jsonl(handle: IO[bytes], name: str, max_bytes: int, *, first: bytes | None = None,
                ) -> Iterator[Article | InputError]:
    """One Article or InputError per non-blank line; a line over the limit is skipped, not loaded."""
    number, found = 0, False
    while True:
        if first is not None:
            raw, first = first, None
        else:
            raw = handle.readline(max_bytes + 1)
        if not raw:
            break
        number += 1
        where = f"{name}:{number}"
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            found = True
            yield InputError(f"{where}: line too large (over the {_mb(max_bytes)} limit)")
            continue
        if not raw.strip():
            continue
        found = True
        yield _jsonl_article(raw, name, number)
    if not found:
        yield InputError(f"{name}: empty file, no articles to read")


def _jsonl_article(raw: bytes, name: str, number: int) -> Article | InputError:
    where = f"{name}:{number}"
    line = _decode(raw, f"{where}")
    if isinstance(line, InputError):
        return line
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(f"{where}: malformed JSON ({exc.msg.removesuffix(' at')}, column {exc.colno})")
    if not isinstance(obj, dict):
        return InputError(f"{where}: expected a JSON object, found {_kind(obj)}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        what = "no 'text' field" if text is None else "'text' is empty" if isinstance(text, str) else (
            f"'text' is {_kind(text)}, not a string")
        return InputError(f"{where}: {what}")
    fields: dict[str, str | None] = {}
    for field in ("title", "date", "url", "source", "id"):
        value = obj.get(field)
        if value is None:
            fields[field] = None
        elif isinstance(value, str) or (field == "id" and isinstance(value, int) and not isinstance(value, bool)):
            fields[field] = str(value).strip() or None
        else:
            return InputError(f"{where}: '{field}' must be a string, found {_kind(value)}")
    if fields["date"] is not None:
        parsed = parse_date(fields["date"])
        if parsed is None:
            return InputError(f"{where}: 'date' is not an ISO 8601 date: {fields['date']!r}")
        fields["date"] = parsed
    return Article(
        key=fields["id"] or where,
        text=text,
        title=fields["title"],
        date=fields["date"],
        source=fields["url"] or fields["source"],
    )


def parse_date(value: str) -> str | None:
    """An ISO 8601 date or timestamp as "YYYY-MM-DD", or None when it is not one."""
    value = value.strip()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# --------------------------------------------------------------------------------------------- stdin


def _read_stdin(stream: IO[bytes], max_bytes: int) -> Iterator[Article | InputError]:
    """JSONL when the first non-blank line is a JSON object, else one text article."""
    if not hasattr(stream, "readline") or isinstance(stream, io.TextIOBase):
        raise InputError("standard input must be a binary stream")
    head = b""
    while True:
        line = stream.readline(max_bytes + 1)
        head += line
        if not line or line.strip() or len(head) > max_bytes:
            break
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and _is_json_object(head):
        yield from _read_jsonl(stream, _STDIN_NAME, max_bytes, first=head)
        return
    data = head + stream.read(max_bytes + 1 - len(head)) if len(head) <= max_bytes else head
    if len(data) > max_bytes:
        yield InputError(f"{_STDIN_NAME}: text too large (over the {_mb(max_bytes)} limit)")
        return
    yield _text_article(data, _STDIN_NAME)


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.decode("utf-8-sig")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
