"""The ingest run: stream articles through the spaCy pipeline into a store, one transaction per document."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .records import Actor, Document, Evidence, Extraction, IngestSummary, Relation, content_hash
from .sources import DEFAULT_MAX_BYTES, iter_sources

if TYPE_CHECKING:
    from spacy.language import Language

    from .store.base import Store

__all__ = ["DEFAULT_BATCH_SIZE", "ProgressCallback", "extract_texts", "ingest"]

DEFAULT_BATCH_SIZE = 16
#: Called after every input item (stored, skipped or failed) with the counts so far and the item's key.
ProgressCallback = Callable[[IngestSummary, str], None]


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    nlp: Language,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: ProgressCallback | None = None,
) -> IngestSummary:
    """Extract every article in ``paths`` and add it to ``store``; documents already stored are skipped.

    Articles are streamed (never all in memory) through ``nlp.pipe`` with ``workers`` processes. Each document
    is written in its own transaction, so an interruption (KeyboardInterrupt, also one raised by
    ``on_progress``) leaves every earlier document intact; Ctrl-C during a write takes effect once the write
    is done. Unreadable articles are counted as failed with a one-line message in ``errors``.
    """
    from .extract import extract_doc
    from .resolve import ActorResolver

    counts = {"documents": 0, "skipped": 0, "failed": 0, "actors": 0, "relations": 0}
    resolver: ActorResolver | None = None  # persons already stored, read once when the first document needs it
    errors: list[str] = []
    seen: set[str] = set()

    def summary() -> IngestSummary:
        return IngestSummary(**counts, errors=tuple(errors))

    def items() -> Iterator[tuple[str, Document | InputError | str]]:
        # Every item goes through nlp.pipe (skipped and failed ones as empty text) so that counts and
        # progress are reported in input order, after the documents before them are stored.
        for item in iter_sources(paths, max_bytes=max_bytes):
            if isinstance(item, InputError):
                yield "", item
                continue
            document = item.document()
            if document.id in seen or store.has_document(document.id):
                yield "", document.key
                continue
            seen.add(document.id)
            yield document.text, document

    def handle(doc: Any, item: Document | InputError | str) -> None:
        if isinstance(item, InputError):
            counts["failed"] += 1
            errors.append(str(item))
            key = str(item).split(": ", 1)[0]
        elif isinstance(item, str):
            counts["skipped"] += 1
            key = item
        else:
            nonlocal resolver
            if resolver is None:
                resolver = ActorResolver(store.actors())
            extraction = resolver.resolve(extract_doc(_restore(doc), item))  # "General Haftar" across articles
            with _interrupt_after():
                added = store.add(extraction)
            if added:
                resolver.learn(extraction)
                counts["documents"] += 1
                counts["actors"] += len(extraction.actors)
                counts["relations"] += len(extraction.relations)
            else:
                counts["skipped"] += 1
            key = item.key
        if on_progress is not None:
            on_progress(summary(), key)

    with _portable(nlp, workers > 1):
        stream = nlp.pipe(items(), as_tuples=True, n_process=max(1, workers), batch_size=max(1, batch_size))
        try:
            for doc, item in stream:
                handle(doc, item)
        finally:
            stream.close()
    return summary()


def extract_texts(
    texts: Iterable[str | tuple[str, str]], *, nlp: Language, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Extraction]:
    """Extract each text (or ``(key, text)`` pair) on its own, in order, batched through ``nlp.pipe``."""
    from .extract import extract_doc

    def items() -> Iterator[tuple[str, Document]]:
        for number, item in enumerate(texts, 1):
            key, text = item if isinstance(item, tuple) else (f"<text {number}>", item)
            yield text, Document(id=content_hash(text), key=key, text=text)

    for doc, document in nlp.pipe(items(), as_tuples=True, batch_size=max(1, batch_size)):
        yield extract_doc(doc, document)


@contextlib.contextmanager
def _interrupt_after() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) until the block is done, then raise KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[object] = []

    def hold(signum: int, frame: object) -> None:
        received.append(signum)

    try:
        previous = signal.signal(signal.SIGINT, hold)
    except ValueError:  # not allowed here (embedded interpreter)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


# --------------------------------------------------------------------------------------------- workers

_PORTABLE = "graphkit_portable"


@contextlib.contextmanager
def _portable(nlp: Language, needed: bool) -> Iterator[None]:
    """With several processes, docs travel as bytes: turn graphkit's records into plain data at the end of
    the pipeline for the trip (``_restore`` turns them back), and remove the step afterwards."""
    if not needed or _PORTABLE in nlp.pipe_names:
        yield
        return
    _register_portable()
    nlp.add_pipe(_PORTABLE, last=True)
    try:
        yield
    finally:
        nlp.remove_pipe(_PORTABLE)


def _register_portable() -> None:
    from spacy.language import Language

    if Language.has_factory(_PORTABLE):
        return

    @Language.component(_PORTABLE)
    def to_plain(doc: Any) -> Any:
        doc._.graphkit_actors = [asdict(a) for a in doc._.graphkit_actors or ()]
        doc._.graphkit_relations = [asdict(r) for r in doc._.graphkit_relations or ()]
        return doc


def _restore(doc: Any) -> Any:
    """Turn plain actors and relations (from a worker process) back into records."""
    actors, relations = doc._.graphkit_actors or (), doc._.graphkit_relations or ()
    if any(isinstance(a, dict) for a in actors):
        doc._.graphkit_actors = tuple(Actor(**{**a, "aliases": tuple(a["aliases"])}) for a in actors)
    if any(isinstance(r, dict) for r in relations):
        doc._.graphkit_relations = tuple(
            Relation(**{**r, "evidence": Evidence(**r["evidence"])}) for r in relations
        )
    return doc
