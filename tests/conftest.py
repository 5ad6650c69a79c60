"""Shared fixtures: paths to the bundled corpus and the shared data, small corpora made in code."""
from __future__ import annotations

import os
import socket
from contextlib import contextmanager
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


def free_port() -> int:
    """A free loopback port (for the real servers the slow tests start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def turns(markup: str) -> list[str]:
    """The conversation turns of the chat's rendered markup."""
    return markup.split('<section class="dp-turn"')[1:]


@contextmanager
def chat_server(engine, settings, *, warm: bool = False):
    """A real `depeche chat` server over ``engine`` on a free loopback port: yields (app, url), and
    stops it (and removes its serving.json) on exit. ``warm``: as `depeche chat` does, one question
    and the follow-up model first."""
    from ui.app import build_app, launch

    if warm:
        from rag import followup
        from ui.app import warm_up

        warm_up(engine)
        followup.warm_up()
    app, url = launch(build_app(engine), settings, block=False, port=free_port())
    try:
        yield app, url
    finally:
        getattr(app, "depeche_unpublish", lambda: None)()
        app.close()


def run_python_clean(code: str) -> list[str]:
    """Run ``code`` in a fresh Python process of the project, without the caller's DEPECHE_* settings
    (the model cache kept); its stdout lines. Fails the test on a non-zero exit, with its stderr."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPECHE_") or k == "DEPECHE_MODEL_CACHE"}
    env["PYTHONPATH"] = str(ROOT)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()
