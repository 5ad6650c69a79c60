"""Chroma server mode: a real `chroma run` server; `--chroma-url` / DEPECHE_CHROMA_URL index and ask
through it with everything else identical. Local files keep the manifest, chunk table and BM25."""
from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.model]

ARTICLES = {
    "port": " date 2019-03-04 Le port de Brest agrandi\n\nLa région a voté lundi l'agrandissement du port de Brest.",
    "zoo": " date 2019-05-06 Naissance au zoo\n\nUn ornithorynque est né au zoo de Beauval, une première en Europe.",
    "velo": " date 2019-07-08 Le Tour passe par Nantes\n\nLe peloton du Tour de France traversera Nantes le 12 juillet.",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.fail(f"{chroma} is missing: the chromadb package ships it; reinstall the project")
    data = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(data / "server.log", "w")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not heartbeat(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Chroma server did not start:\n" + (data / "server.log").read_text())
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def depeche(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`depeche ARGS` in this process (the model stays loaded between calls): exit code and output."""
    from depeche.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def corpus(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def server_rows(url: str, collection: str) -> dict[str, str]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    host, port = url.rsplit(":", 1)
    client = chromadb.HttpClient(host=host.split("//")[1], port=int(port),
                                 settings=ChromaSettings(anonymized_telemetry=False))
    got = client.get_collection(collection).get(include=["metadatas"])
    return {i: m["article_id"] for i, m in zip(got["ids"], got["metadatas"])}


def test_index_and_ask_through_a_chroma_server(server, tmp_path):
    from index.store import Store

    url, _ = server
    src = corpus(tmp_path / "corpus", ARTICLES)
    store = tmp_path / "store"
    r = depeche("index", "--corpus", str(src), "--store", str(store), "--chroma-url", url, "--quiet")
    assert r.returncode == 0, r.stderr
    assert url in r.stdout  # the summary names where the vectors went
    assert not (store / "chroma").exists()  # no embedded store: the vectors are on the server
    manifest = Store(store).require_manifest()
    assert (store / f"gen-{manifest.generation}" / "bm25").is_dir()  # BM25 and chunk table stay local
    assert set(server_rows(url, manifest.collection).values()) == set(ARTICLES)

    # Asking through the server, by flag and by environment variable: same answer.
    by_flag = depeche("ask", "Quel animal est né au zoo de Beauval ?", "--json", "--store", str(store),
                      "--chroma-url", url)
    by_env = depeche("ask", "Quel animal est né au zoo de Beauval ?", "--json", "--store", str(store),
                     env={"DEPECHE_CHROMA_URL": url})
    assert by_flag.returncode == by_env.returncode == 0, by_flag.stderr + by_env.stderr
    a, b = json.loads(by_flag.stdout), json.loads(by_env.stdout)
    assert a["citations"] and a["citations"][0]["article_id"] == "zoo"
    assert [c["quote"] for c in a["citations"]] == [c["quote"] for c in b["citations"]]
    dense = depeche("ask", "naissance d'un animal rare", "--json", "--store", str(store), "--chroma-url", url)
    assert json.loads(dense.stdout)["passages"][0]["article_id"] == "zoo"

    # An update and a rebuild through the server keep Chroma and BM25 in step.
    (src / "zoo.txt").write_text(" date 2019-05-06 Naissance au zoo\n\nUn kangourou albinos est né au zoo de Beauval.",
                                 encoding="utf-8")
    (src / "velo.txt").unlink()
    r = depeche("index", "--corpus", str(src), "--store", str(store), "--chroma-url", url, "--prune", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "1 updated" in r.stdout and "1 removed" in r.stdout
    rows = server_rows(url, Store(store).require_manifest().collection)
    assert sorted(rows.values()) == ["port", "zoo"]
    r = depeche("index", "--rebuild", "--corpus", str(src), "--store", str(store), "--chroma-url", url, "--quiet")
    assert r.returncode == 0, r.stderr
    rebuilt = Store(store).require_manifest()
    assert rebuilt.collection != manifest.collection and sorted(server_rows(url, rebuilt.collection).values()) == [
        "port", "zoo"]
    out = json.loads(depeche("ask", "Quel animal est né au zoo ?", "--json", "--store", str(store),
                             "--chroma-url", url).stdout)
    assert "kangourou" in out["passages"][0]["text"]  # the rebuilt index serves the updated article


def test_two_stores_share_one_server_without_touching_each_other(server, tmp_path):
    from index.store import Store

    url, _ = server
    a = corpus(tmp_path / "a", {"port": ARTICLES["port"]})
    b = corpus(tmp_path / "b", {"zoo": ARTICLES["zoo"]})
    for src, store in ((a, tmp_path / "sa"), (b, tmp_path / "sb")):
        r = depeche("index", "--corpus", str(src), "--store", str(store), "--chroma-url", url, "--quiet")
        assert r.returncode == 0, r.stderr
    r = depeche("index", "--rebuild", "--corpus", str(a), "--store", str(tmp_path / "sa"), "--chroma-url", url, "--quiet")
    assert r.returncode == 0, r.stderr
    mb = Store(tmp_path / "sb").require_manifest()
    assert set(server_rows(url, mb.collection).values()) == {"zoo"}  # b's collection survived a's rebuild
    out = json.loads(depeche("ask", "Quel animal est né ?", "--json", "--store", str(tmp_path / "sb"),
                             "--chroma-url", url).stdout)
    assert out["passages"] and {p["article_id"] for p in out["passages"]} == {"zoo"}


def test_unreachable_server_is_one_clear_line(tmp_path):
    src = corpus(tmp_path / "corpus", {"port": ARTICLES["port"]})
    url = f"http://127.0.0.1:{free_port()}"
    r = depeche("index", "--corpus", str(src), "--store", str(tmp_path / "s"), "--chroma-url", url, "--quiet")
    assert r.returncode == 1
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("depeche: error: Cannot reach the Chroma server at " + url) and "chroma run" in last
    r = depeche("index", "--corpus", str(src), "--store", str(tmp_path / "s"), "--chroma-url", "localhost:8000")
    assert r.returncode == 1 and "is not http://HOST:PORT" in r.stderr
