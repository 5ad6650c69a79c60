"""`depeche index --ray local`: Ray Data embeds with 2 workers and gives the index the in-process
build gives (same chunk ids, vectors within 1e-5); a Ray worker killed mid-build leaves the old index
serving and the build completes (Ray restarts the worker, or the next run finishes it).
Real Ray (local mode), real e5-small in fp32, real embedded Chroma."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from depeche.errors import DepecheError
from depeche.settings import Settings
from index.store import Store
from tests.conftest import CORPUS, ROOT
from tests.test_atomic_rebuild import lines_of, synthetic_corpus

pytest.importorskip("ray")
pytestmark = [pytest.mark.slow, pytest.mark.model]

EMBEDDER = "e5-small-fp32"  # one runtime on every machine: vectors comparable to 1e-5
# A build is waited for as long as its processes keep using CPU (a loaded machine slows it down by
# tens of times); it fails the test only when it stalls that long, or passes the cap.
STALL_S = 600
CAP_S = 2 * 3600


def vectors(store_path: Path) -> dict[str, np.ndarray]:
    import chromadb.api.shared_system_client as shared

    shared.SharedSystemClient.clear_system_cache()  # see what another process wrote to the embedded store
    store = Store(store_path)
    m = store.require_manifest()
    got = store.collection(m.collection).get(include=["embeddings"])
    return {i: np.asarray(v) for i, v in zip(got["ids"], got["embeddings"])}


def chunk_ids(store_path: Path) -> list[str]:
    store = Store(store_path)
    return [c.id for c in store.read_chunks(store.require_manifest().generation)]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """corpus/ indexed in this process: the index Ray must reproduce."""
    from index.builder import build_index

    store = tmp_path_factory.mktemp("ray-ref") / "store"
    build_index(Settings.from_mapping({"store": str(store), "corpus": [str(CORPUS)], "embedder": EMBEDDER}),
                progress=False)
    return store


def test_ray_local_mode_with_two_workers_builds_the_in_process_index(reference, tmp_path):
    from index.builder import build_index

    store = tmp_path / "store"
    s = Settings.from_mapping({"store": str(store), "corpus": [str(CORPUS)], "embedder": EMBEDDER,
                               "ray": "local", "ray_concurrency": 2, "ray_batch_size": 8})
    summary = build_index(s, progress=False)
    assert summary.embedded_chunks == len(chunk_ids(reference))
    assert Store(store).require_manifest().runtime.startswith("ray: ")
    assert chunk_ids(store) == chunk_ids(reference)
    mine, theirs = vectors(store), vectors(reference)
    assert set(mine) == set(theirs)
    worst = max(float(np.abs(mine[k] - theirs[k]).max()) for k in mine)
    assert worst <= 1e-5, worst
    import ray

    assert not ray.is_initialized()  # the local Ray instance was shut down with the build


def test_bad_ray_address_is_one_clear_line(tmp_path):
    from index.builder import build_index

    s = Settings.from_mapping({"store": str(tmp_path / "s"), "corpus": [str(CORPUS)], "ray": "http://nowhere"})
    with pytest.raises(DepecheError, match="auto, local or ray://"):
        build_index(s, progress=False)


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def embed_workers(pid: int) -> list[int]:
    found = []
    for p in descendants(pid):
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "EmbedWorker" in cmd:
            found.append(p)
    return found


def working_cpu_s(pid: int) -> float:
    """CPU seconds used so far by the build ``pid`` and its embedding workers (Ray's own daemons, which
    tick along even when nothing progresses, are left out)."""
    total = 0
    for p in [pid, *embed_workers(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def next_line(err: "queue.Queue[str | None]", build: subprocess.Popen, seen: list[str]) -> str | None:
    """The build's next stderr line (None at its end), kept in ``seen``; fails only if the build stalls."""
    t0, quiet, cpu = time.monotonic(), 0.0, working_cpu_s(build.pid)
    while True:
        try:
            line = err.get(timeout=30)
        except queue.Empty:
            now = working_cpu_s(build.pid)
            quiet = 0.0 if now > cpu + 1 else quiet + 30
            cpu = now
            assert quiet < STALL_S and time.monotonic() - t0 < CAP_S, (
                f"the build printed nothing and used no CPU for {quiet:.0f} s:\n" + "".join(seen))
            continue
        if line is not None:
            seen.append(line)
        return line


def finish(build: subprocess.Popen, err: "queue.Queue[str | None]", seen: list[str]) -> str:
    """Wait for the build's end (reading all its stderr into ``seen``); its stdout."""
    while next_line(err, build, seen) is not None:
        pass
    build.wait()
    return build.stdout.read()


def depeche(*args: str, env_extra: dict | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPECHE_") or k == "DEPECHE_MODEL_CACHE"}
    env.update({"PYTHONUNBUFFERED": "1", **(env_extra or {})})
    return subprocess.Popen([sys.executable, "-m", "depeche.cli", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_killed_ray_worker_leaves_the_old_index_serving_and_the_build_completes(reference, tmp_path):
    import shutil

    from rag.engine import Engine

    store = tmp_path / "store"
    shutil.copytree(reference, store)  # generation 1: corpus/ only
    extra = synthetic_corpus(tmp_path / "extra", n=100)
    engine = Engine(Settings.from_mapping({"store": str(store), "embedder": EMBEDDER}))
    old_ids = set(engine.articles())
    old_generation = engine.manifest.generation
    args = ("index", "--ray", "local", "--store", str(store), "--embedder", EMBEDDER,
            "--corpus", str(CORPUS), "--corpus", str(extra))
    env = {"DEPECHE_RAY_BATCH_SIZE": "4", "DEPECHE_RAY_CONCURRENCY": "2"}
    build = depeche(*args, env_extra=env)
    err, seen, killed = lines_of(build.stderr), [], None
    try:
        while not killed:
            line = next_line(err, build, seen)
            assert line is not None, "the build ended before a worker could be killed:\n" + "".join(seen)
            if line.startswith("Embedded "):
                done, total = map(int, line.split()[1].split("/"))
                assert done < total
                workers = embed_workers(build.pid)
                assert workers, "no Ray embedding worker found among the build's processes"
                os.kill(workers[0], signal.SIGKILL)
                killed = workers[0]
        # The worker is dead; the switch has not happened: the old index answers.
        assert Store(store).require_manifest().generation == old_generation
        hits = engine.search("Que expose le musée de Saint-Malo depuis lundi ?", k=5)
        assert hits and not {h.chunk.article_id for h in hits} - old_ids
        finish(build, err, seen)
    finally:
        build.kill()
        build.wait()
    stderr = "".join(seen)
    assert "Traceback" not in stderr
    if build.returncode != 0:  # Ray gave up on the job: one line, old index intact, the next run finishes
        assert build.returncode == 1 and "depeche: error: Embedding on Ray failed" in stderr, stderr
        assert Store(store).require_manifest().generation == old_generation
        rerun, rerun_seen = depeche(*args, env_extra=env), []
        out = finish(rerun, lines_of(rerun.stderr), rerun_seen)
        assert rerun.returncode == 0, "".join(rerun_seen)
        assert "reused from an interrupted run" in out
    assert Store(store).require_manifest().generation == old_generation + 1
    # Complete and identical to an in-process build of the same corpus.
    from index.builder import build_index

    ref2 = tmp_path / "ref2"
    build_index(Settings.from_mapping({"store": str(ref2), "corpus": [str(CORPUS), str(extra)], "embedder": EMBEDDER}),
                progress=False)
    assert chunk_ids(store) == chunk_ids(ref2)
    mine, theirs = vectors(store), vectors(ref2)
    assert set(mine) == set(theirs)
    assert max(float(np.abs(mine[k] - theirs[k]).max()) for k in mine) <= 1e-5
    after = engine.search("Que expose le musée de Saint-Malo depuis lundi ?", k=5)
    assert engine.manifest.generation == old_generation + 1
    assert "zorglub" in {h.chunk.article_id for h in after}
