"""Shared fixtures: paths to the bundled corpus and the shared data, small corpora made in code."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import depeche.offline  # noqa: F401  (offline + no telemetry for every test)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
SEED = SHARED / "seed" / "000_1597ff3a76891786.txt"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data lives beside the repository)")
    return path


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch):
    """Tests never inherit DEPECHE_* variables from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("DEPECHE_") and key != "DEPECHE_MODEL_CACHE":
            monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """An index of the bundled corpus/ with the default embedder, built once per test session."""
    from depeche.settings import Settings
    from index.builder import build_index

    store = tmp_path_factory.mktemp("corpus-index") / "store"
    settings = Settings.from_mapping({"store": str(store), "corpus": [str(CORPUS)]})
    build_index(settings, progress=False)
    return settings


@pytest.fixture(scope="session")
def corpus_engine(corpus_index):
    from rag.engine import Engine

    engine = Engine(corpus_index)
    engine.warm_up()
    return engine
