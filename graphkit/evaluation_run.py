"""Run an evaluation from a gold file: extract its texts (or use a store's graph) and score the result."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .errors import EvalError

if TYPE_CHECKING:
    import networkx as nx
    from spacy.language import Language

    from .evaluate import GoldDocument, Scores
    from .store.base import Store

__all__ = ["evaluate_file", "evaluate_texts"]


def evaluate_file(
    path: str | Path | IO[str],
    *,
    store: Store | str | os.PathLike[str] | Callable[[], Store] | None = None,
    nlp: Language | None = None,
    nlp_factory: Callable[[], Language] | None = None,
) -> Scores:
    """Score graphkit against a gold file.

    When the gold documents carry ``text`` (an evaluation set), each text is extracted and ingested as its
    own document into a temporary SQLite store, and the scores are micro-averaged over the documents.
    Otherwise the gold is matched against the graph of ``store`` (a Store, a path or URI, a function that
    opens one; None means the default store) as a whole. The pipeline is ``nlp``, else ``nlp_factory()``,
    else the default pipeline; it is only loaded when there are texts to extract.
    """
    from .evaluate import evaluate_corpus, evaluate_graph, load_gold

    gold = load_gold(path)
    with_text = [g for g in gold if g.text is not None]
    if with_text:
        if len(with_text) != len(gold):
            missing = next(g.document for g in gold if g.text is None)
            raise EvalError(f"{_name(path)}: document {missing!r} has no 'text' while others have one")
        if nlp is None:
            from .extract import build_pipeline

            nlp = nlp_factory() if nlp_factory is not None else build_pipeline()
        return evaluate_texts(gold, nlp=nlp)
    graph = _store_graph(store)
    if len(gold) == 1:
        return evaluate_graph(gold[0], graph)
    return evaluate_corpus((g, graph) for g in gold)


def evaluate_texts(gold: list[GoldDocument], *, nlp: Language) -> Scores:
    """Extract each gold text as its own document, store it in its own temporary SQLite store, and score
    the stored graphs micro-averaged (identical texts stay separate documents)."""
    from .evaluate import evaluate_corpus
    from .ingest import extract_texts
    from .store import open_store

    pairs: list[tuple[GoldDocument, nx.MultiDiGraph]] = []
    with tempfile.TemporaryDirectory(prefix="graphkit-eval-") as tmp:
        extractions = extract_texts(((g.document, g.text or "") for g in gold), nlp=nlp)
        for number, (doc_gold, extraction) in enumerate(zip(gold, extractions, strict=True)):
            with open_store(Path(tmp) / f"{number}.db") as store:
                store.add(extraction)
                pairs.append((doc_gold, store.graph()))
    return evaluate_corpus(pairs)


def _store_graph(store: Store | str | os.PathLike[str] | Callable[[], Store] | None,
                 ) -> nx.MultiDiGraph:
    from .store import open_store
    from .store.base import Store

    if isinstance(store, Store):
        return store.graph()
    with (store() if callable(store) else open_store(store)) as opened:
        return opened.graph()


def _name(path: str | Path | IO[str]) -> str:
    return str(getattr(path, "name", path))
