"""Find graphkit's editable data (``ingest/``, ``queries/``) in a checkout or in an installed wheel."""

from __future__ import annotations

from pathlib import Path

from .errors import GraphkitError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``ingest`` or ``queries``: inside the wheel (graphkit/_data/NAME) or beside the package."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise GraphkitError(f"graphkit's data folder {name!r} is missing from the installation")


def ingest_dir() -> Path:
    return data_dir("ingest")


def queries_dir() -> Path:
    return data_dir("queries")
