"""The chat server's JSON API (/answer = `depeche ask --json`), the article search that replaced the
list of every article, and `depeche ask` reusing a running chat (or answering alone) with the same JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import chat_server, run_python_clean

pytestmark = [pytest.mark.slow, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]
Q = "Qui a critiqué la rencontre ?"
SEED_ID = "000_1597ff3a76891786"


def same(a: dict, b: dict) -> bool:
    """Equal but for the timings."""
    return {k: v for k, v in a.items() if k != "timings_ms"} == {k: v for k, v in b.items() if k != "timings_ms"}


@pytest.fixture(scope="module")
def server(corpus_engine, corpus_index):
    with chat_server(corpus_engine, corpus_index) as (_, url):
        yield url


def test_api_answer_is_the_ask_json_object(server, corpus_engine):
    from gradio_client import Client

    client = Client(server, verbose=False, download_files=False)
    got = client.predict(Q, None, None, None, api_name="/answer")
    assert same(got, corpus_engine.ask(Q).to_json())
    assert got["passages"] and set(got) >= {"citations", "passages", "timings_ms", "related", "abstained"}
    only = client.predict(Q, "2016-01-01", "2018-12-31", None, api_name="/answer")
    assert same(only, corpus_engine.ask(Q, since="2016-01-01", until="2018-12-31").to_json())
    one = client.predict(Q, None, None, [SEED_ID], api_name="/answer")
    assert {p["article_id"] for p in one["passages"]} == {SEED_ID}


def test_api_answer_over_plain_http_as_the_readme_curl_does(server, corpus_engine):
    r = httpx.post(server + "gradio_api/call/answer", json={"data": [Q, None, None, None]}, timeout=60)
    event_id = r.json()["event_id"]
    stream = httpx.get(server + f"gradio_api/call/answer/{event_id}", timeout=300).text
    assert "event: complete" in stream
    data = json.loads(stream.split("event: complete", 1)[1].split("data:", 1)[1].strip().splitlines()[0])
    assert same(data[0], corpus_engine.ask(Q).to_json())


def test_api_refuses_bad_input_with_one_line(server):
    from gradio_client import Client

    client = Client(server, verbose=False, download_files=False)
    with pytest.raises(Exception) as err:
        client.predict(Q, "2019-13-01", None, None, api_name="/answer")
    assert "AAAA-MM-JJ" in str(err.value)
    with pytest.raises(Exception) as err:
        client.predict(Q, None, None, ["no-such-article"], api_name="/answer")
    assert "no-such-article" in str(err.value)


def test_page_and_api_schema_do_not_list_the_articles(server, corpus_engine):
    ids = list(corpus_engine.articles())
    for path in ("config", "gradio_api/info"):
        body = httpx.get(server + path, timeout=30).text
        assert not [a for a in ids if a in body], path


def test_article_search_by_title_as_typed(corpus_engine):
    from ui.chat import Chat

    chat = Chat(corpus_engine)
    arts = corpus_engine.articles()
    hits = chat.article_choices("NORD-COREEN kim")  # accents and case aside, every word
    assert hits and all("nord-coreen" in _fold(arts[i].title + i) and "kim" in _fold(arts[i].title + i)
                        for _, i in hits)
    assert SEED_ID in [i for _, i in chat.article_choices("Xi Jinping entretenu")]
    assert chat.article_choices("zzzz introuvable") == []
    assert len(chat.article_choices("", limit=3)) == 3  # nothing typed: the newest few, never all
    kept = chat.article_choices("zzzz", selected=[SEED_ID])
    assert [i for _, i in kept] == [SEED_ID], "a selected article stays among the choices"


def _fold(text: str) -> str:
    from index.french import fold

    return fold(text)


def _ask(store: str, *extra: str) -> tuple[dict, list[str]]:
    """`depeche ask --json` in a fresh process; returns its JSON and the heavy modules it loaded."""
    code = (
        "import sys, json\n"
        "from depeche.cli import main\n"
        f"rc = main(['ask', '--json', '--store', {store!r}, *{list(extra)!r}, {Q!r}])\n"
        "print(json.dumps(sorted(m for m in ('onnxruntime', 'chromadb', 'spacy', 'torch') if m in sys.modules)))\n"
        "sys.exit(rc)\n"
    )
    lines = run_python_clean(code)
    return json.loads(lines[0]), json.loads(lines[-1])


def test_ask_uses_the_running_chat_and_prints_the_same_json_as_alone(server, corpus_index):
    store = str(corpus_index.store_path)
    assert (Path(store) / "serving.json").stat().st_mode & 0o077 == 0, "the token file is private"
    warm, loaded = _ask(store)
    assert loaded == [], "answered by the server: no model, no Chroma in the asking process"
    alone, loaded_alone = _ask(store, "--local")
    assert loaded_alone == ["onnxruntime"], "alone: the models on ONNX, the vectors from vectors.npy (no Chroma)"
    assert same(warm, alone) and warm["passages"]


def test_ask_answers_alone_when_the_server_is_gone_or_differs(corpus_index, tmp_path):
    import shutil

    from depeche import warm
    from depeche.settings import Settings

    store = tmp_path / "store"
    shutil.copytree(corpus_index.store_path, store)
    settings = Settings.from_mapping({"store": str(store)})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    path, token = warm.publish(settings, "http://127.0.0.1:9")
    rec = json.loads(path.read_text())
    path.write_text(json.dumps({**rec, "pid": int(dead.stdout)}))
    assert warm.find_server(settings) is None  # dead process
    path.write_text(json.dumps({**rec, "pid": os.getppid(), "settings": {**rec["settings"], "retriever": "bm25"}}))
    assert warm.find_server(settings) is None  # other answer settings
    path.write_text(json.dumps({**rec, "pid": os.getppid()}))
    assert warm.find_server(settings) is not None and warm.ask_server(settings, Q) is None  # nobody listens
    out, loaded = _ask(str(store))
    assert out["passages"] and "onnxruntime" in loaded
