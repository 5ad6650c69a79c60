"""`depeche index --rebuild` switches atomically: SIGKILLed halfway, the old index still answers and
the next run completes (reusing what was written); an Engine opened before an update answers from
the new generation on its next question and never from a half-built one.

Real processes, real e5-small, real embedded Chroma; the corpus is corpus/ plus ~150 articles made
by recombining its sentences (a few hundred chunks, so that the build can be caught halfway)."""
from __future__ import annotations

import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from depeche.settings import Settings
from index.loaders import load_corpus
from index.sentences import split_sentences
from tests.conftest import CORPUS, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.model]

DEADLINE_S = 1200
ZORGLUB = (" date 2024-02-02 Le zorglub de Saint-Malo\n\n"
           "Le musée de Saint-Malo expose depuis lundi un zorglub, une machine à vapeur de 1885 restaurée "
           "par des bénévoles. Le zorglub a été retrouvé dans un hangar du port en 2019.")
Z_QUESTION = "Que expose le musée de Saint-Malo depuis lundi ?"


def synthetic_corpus(folder: Path, n: int = 150, seed: int = 6) -> Path:
    """Articles made of real French sentences from corpus/, recombined (deterministic)."""
    arts, _ = load_corpus([CORPUS])
    sents = [a.text[s:e] for a in arts for s, e in split_sentences(a.text) if len(a.text[s:e]) > 40]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        body = " ".join(rng.sample(sents, 10))
        (folder / f"syn-{i:03d}.txt").write_text(f" date 2023-{i % 12 + 1:02d}-{i % 28 + 1:02d} Synthèse {i}\n\n{body}",
                                                  encoding="utf-8")
    (folder / "zorglub.txt").write_text(ZORGLUB, encoding="utf-8")
    return folder


def depeche(*args: str, **kw) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPECHE_") or k == "DEPECHE_MODEL_CACHE"}
    env["PYTHONUNBUFFERED"] = "1"
    return subprocess.Popen([sys.executable, "-m", "depeche.cli", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def lines_of(stream) -> "queue.Queue[str | None]":
    q: queue.Queue = queue.Queue()

    def pump():
        for line in stream:
            q.put(line)
        q.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return q


def ask_json(store: Path, question: str) -> dict:
    p = depeche("ask", question, "--json", "--store", str(store))
    out, err = p.communicate(timeout=DEADLINE_S)
    assert p.returncode == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """An index of corpus/ (generation 1) and a bigger corpus to rebuild it from."""
    from index.builder import build_index

    root = tmp_path_factory.mktemp("atomic")
    store = root / "store"
    build_index(Settings.from_mapping({"store": str(store), "corpus": [str(CORPUS)]}), progress=False)
    extra = synthetic_corpus(root / "extra")
    return store, extra


def test_killed_rebuild_leaves_the_old_index_answering_and_the_next_run_completes(live):
    import chromadb.api.shared_system_client as shared

    from index.store import Store
    from rag.engine import Engine

    store, extra = live
    engine = Engine(Settings.from_mapping({"store": str(store)}))
    before = engine.ask("Qui a rencontré Kim Jong Un à Pékin ?")
    old_generation, old_collection = engine.manifest.generation, engine.manifest.collection
    old_ids = set(engine.articles())
    assert before.citations and not before.abstained

    build = depeche("index", "--rebuild", "--corpus", str(CORPUS), "--corpus", str(extra), "--store", str(store))
    err = lines_of(build.stderr)
    seen, t0 = [], time.monotonic()
    try:
        while time.monotonic() - t0 < DEADLINE_S:
            line = err.get(timeout=DEADLINE_S)
            assert line is not None, "the build ended before it could be interrupted:\n" + "".join(seen)
            seen.append(line)
            if line.startswith("Embedded "):
                done, total = map(int, line.split()[1].split("/"))
                assert done < total
                build.kill()  # SIGKILL: no clean-up code runs
                break
            # Meanwhile the open engine keeps answering from the live generation.
            assert not ({h.chunk.article_id for h in engine.search(Z_QUESTION, k=5)} - old_ids)
        else:
            pytest.fail("no progress line within the deadline:\n" + "".join(seen))
    finally:
        build.kill()
        build.wait()
    assert build.returncode == -9

    # The switch did not happen; the half-built collection exists beside the live one.
    shared.SharedSystemClient.clear_system_cache()
    s = Store(store)
    manifest = s.require_manifest()
    assert (manifest.generation, manifest.collection) == (old_generation, old_collection)
    partial = [c for c in s.own_collections() if c.name != old_collection]
    assert len(partial) == 1 and done <= partial[0].count() < total

    # The old index still answers, through a new process and through the engine opened before.
    out = ask_json(store, "Qui a rencontré Kim Jong Un à Pékin ?")
    assert out["citations"] and {c["article_id"] for c in out["citations"]} <= old_ids
    out = ask_json(store, Z_QUESTION)
    assert not {c["article_id"] for c in out["citations"] + out["related"]} - old_ids
    again = engine.ask("Qui a rencontré Kim Jong Un à Pékin ?")
    assert engine.manifest.generation == old_generation
    assert [c.quote for c in again.citations] == [c.quote for c in before.citations]

    # The next run completes, reusing the vectors written before the kill, and switches.
    rerun = depeche("index", "--rebuild", "--corpus", str(CORPUS), "--corpus", str(extra), "--store", str(store))
    out_text, err_text = rerun.communicate(timeout=DEADLINE_S)
    assert rerun.returncode == 0, err_text
    assert "reused from an interrupted run" in out_text
    after = engine.ask(Z_QUESTION)  # the engine opened before picks up the new generation
    assert engine.manifest.generation == old_generation + 1
    assert engine.manifest.collection == partial[0].name
    assert "zorglub" in {c.article_id for c in after.citations + after.related} | {
        h.chunk.article_id for h in after.passages}
    shared.SharedSystemClient.clear_system_cache()
    s = Store(store)
    live_chunks = s.read_chunks(s.require_manifest().generation)
    assert partial[0].name in {c.name for c in s.own_collections()}
    assert len(Store.all_ids(s.collection(partial[0].name))) == len(live_chunks)
    assert old_collection in {c.name for c in s.own_collections()}  # kept one generation for readers


def test_open_engine_never_sees_a_half_built_index_and_follows_the_new_one(live, tmp_path):
    """While `depeche index` adds articles in another process, every answer comes from a complete
    generation: the old one until the switch, then the new one at the next question."""
    from rag.engine import Engine

    store, extra = live
    engine = Engine(Settings.from_mapping({"store": str(store)}))
    engine.ask("Qui a rencontré Kim Jong Un à Pékin ?")
    start = engine.manifest.generation
    known = set(engine.articles())
    news = tmp_path / "news"
    news.mkdir()
    for i in range(40):
        (news / f"flash-{i:02d}.txt").write_text(
            f" date 2024-03-{i % 28 + 1:02d} Flash {i}\n\nLe phare de Cordouan{i} a été repeint par "
            f"l'équipe numéro {i}. Les travaux ont duré {i + 2} semaines selon le gestionnaire du site.",
            encoding="utf-8")
    update = depeche("index", "--corpus", str(CORPUS), "--corpus", str(extra), "--corpus", str(news),
                     "--store", str(store))
    observed = []
    try:
        while update.poll() is None:
            hits = engine.search("phare de Cordouan repeint", k=5)
            gen = engine.manifest.generation
            chunk_table = {c.id for c in engine.retriever.chunks}
            assert all(h.chunk.id in chunk_table for h in hits)  # only chunks of the loaded generation
            observed.append((gen, any(h.chunk.article_id.startswith("flash-") for h in hits)))
            time.sleep(0.2)
        out, err = update.communicate(timeout=DEADLINE_S)
    finally:
        update.kill()
        update.wait()
    assert update.returncode == 0, err
    assert observed and all(not flash for gen, flash in observed if gen == start)
    answer = engine.ask("Qui a repeint le phare de Cordouan7 ?")
    assert engine.manifest.generation == start + 1
    assert "flash-07" in {h.chunk.article_id for h in answer.passages}
    assert set(engine.articles()) >= known | {f"flash-{i:02d}" for i in range(40)}
