"""Hostile clients of the real chat server (issue 14): uploads, huge questions, password guessing,
endless sessions, filters the page did not offer. A small index is built here; the server is real."""
from __future__ import annotations

import shutil

import httpx
import pytest

from depeche.settings import Settings
from tests.conftest import chat_server, turns

QUESTION = "Qu'a voté le conseil municipal de Brest ?"
ARTICLE = " date 2018-03-0{n} Le conseil de {city}\n\nLe conseil municipal de {city} a voté le budget {word} mardi soir."


# ---- pure: the throttle ----------------------------------------------------------------------------------
def test_login_back_off_doubles_per_address_and_a_right_password_clears_it():
    from ui.guard import LoginThrottle

    now = [0.0]
    t = LoginThrottle(free=3, first=1.0, cap=8.0, clock=lambda: now[0])
    for _ in range(2):
        t.failed("1.2.3.4")
    assert t.wait("1.2.3.4") == 0.0
    t.failed("1.2.3.4")
    assert t.wait("1.2.3.4") == 1.0 and t.wait("5.6.7.8") == 0.0  # other addresses are not affected
    for expected in (2.0, 4.0, 8.0, 8.0):
        t.failed("1.2.3.4")
        assert t.wait("1.2.3.4") == expected
    t.succeeded("1.2.3.4")
    assert t.wait("1.2.3.4") == 0.0


# ---- the real server ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from depeche.settings import Settings
    from index.builder import build_index
    from rag.engine import Engine

    root = tmp_path_factory.mktemp("hostile-server")
    corpus = root / "corpus"
    corpus.mkdir()
    for i, city in enumerate(["Rennes", "Brest", "Quimper"]):
        (corpus / f"{city.lower()}.txt").write_text(ARTICLE.format(n=i + 1, city=city, word=f"b{i}"),
                                                    encoding="utf-8")
    settings = Settings.from_mapping({"store": str(root / "store"), "corpus": [str(corpus)]})
    build_index(settings, progress=False)
    engine = Engine(settings)
    engine.warm_up()
    with chat_server(engine, settings) as (_, url):
        yield {"url": url, "root": root, "corpus": corpus, "settings": settings, "engine": engine}


@pytest.mark.slow
@pytest.mark.model
def test_uploads_beyond_the_cap_are_refused_and_not_stored(served):
    big = b"A" * 2_000_000
    r = httpx.post(served["url"] + "gradio_api/upload", files={"files": ("big.txt", big)}, timeout=60)
    assert r.status_code == 413
    r = httpx.post(served["url"] + "gradio_api/upload", content=b"x" * 50_000_000, timeout=60,
                   headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413


@pytest.mark.slow
@pytest.mark.model
def test_questions_over_the_limit_are_refused_by_the_server_cheaply(served):
    from gradio_client import Client

    r = httpx.post(served["url"] + "gradio_api/call/ask", json={"data": ["x" * 5_000_000, None, None, []]},
                   timeout=60)
    assert r.status_code == 413
    markup, _ = Client(served["url"], verbose=False).predict("Qui a voté ? " * 120, None, None, [],
                                                             api_name="/ask")
    t = turns(markup)[0]
    assert "dp-error" in t and "dépasse 1\u202f000 caractères" in t and len(markup) < 20_000


@pytest.mark.slow
@pytest.mark.model
def test_an_article_indexed_while_serving_is_a_valid_api_filter(served, tmp_path):
    from gradio_client import Client

    from index.builder import build_index

    client = Client(served["url"], verbose=False)  # the page was loaded before the article existed
    (served["corpus"] / "lannion.txt").write_text(ARTICLE.format(n=7, city="Lannion", word="neuf"),
                                                  encoding="utf-8")
    build_index(served["settings"], progress=False)
    markup, _ = client.predict("Qu'a voté le conseil municipal de Lannion ?", None, None, ["lannion"],
                               api_name="/ask")
    t = turns(markup)[0]
    assert "dp-error" not in t and "Lannion" in t
    markup, _ = client.predict(QUESTION, None, None, ["nosuch"], api_name="/ask")
    assert "dp-error" in markup and "nosuch" in markup and "rennes" not in markup  # no list of every id


def call_raw(url: str, data: list) -> str:
    """POST /gradio_api/call/ask with raw JSON (no client-side conversion); the last markup streamed."""
    import json

    r = httpx.post(url + "gradio_api/call/ask", json={"data": data}, timeout=60)
    assert r.status_code == 200, r.text
    event = r.json()["event_id"]
    last = None
    with httpx.stream("GET", url + f"gradio_api/call/ask/{event}", timeout=120) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                payload = json.loads(line[5:])
                if isinstance(payload, list) and payload and isinstance(payload[0], str):
                    last = payload[0]
    assert last is not None
    return last


@pytest.mark.slow
@pytest.mark.model
def test_a_numeric_or_impossible_date_via_the_api_is_a_message_not_a_traceback(served, capfd, caplog):
    from gradio_client import Client

    markup, _ = Client(served["url"], verbose=False).predict(QUESTION, 1e20, None, [], api_name="/ask")
    assert "dp-error" in markup and "AAAA-MM-JJ" in markup
    markup = call_raw(served["url"], [QUESTION, 1e20, None, []])  # a raw JSON number reaches the server
    assert "dp-error" in markup and "AAAA-MM-JJ" in markup
    markup = call_raw(served["url"], [QUESTION, {"a": 1}, None, []])
    assert "dp-error" in markup and "AAAA-MM-JJ" in markup
    markup = call_raw(served["url"], [QUESTION, 1_500_000_000, None, []])  # a Unix timestamp: 2017-07-14
    assert "dp-error" not in markup and "Brest" in markup and "juillet 2017" in markup
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.model
def test_a_session_keeps_at_most_fifty_turns(served):
    from ui.chat import MAX_TURNS, Chat
    from ui.render import Turn

    chat = Chat(served["engine"], stream_delay=0)
    old = [Turn(f"question {i}", error="x") for i in range(3 * MAX_TURNS)]
    *_, last = chat.ask(QUESTION, old)
    assert len(last) == MAX_TURNS and last[-1].question == QUESTION and last[-1].answer is not None
    assert last[0].question == f"question {2 * MAX_TURNS + 1}"


@pytest.mark.slow
@pytest.mark.model
def test_password_guessing_is_slowed_per_address_and_the_owner_still_gets_in(served, monkeypatch):
    import ui.guard
    from ui.guard import FREE_FAILURES

    monkeypatch.setattr(ui.guard, "FIRST_DELAY_S", 600.0)  # longer than the test: no timing in the asserts
    settings = served["settings"].replace({"auth": "alice:s3cret"})
    with chat_server(served["engine"], settings) as (_, url):
        codes = [httpx.post(url + "login", data={"username": "alice", "password": f"guess{i}"}, timeout=30)
                 .status_code for i in range(200)]
        assert codes[:FREE_FAILURES] == [400] * FREE_FAILURES
        assert codes[FREE_FAILURES:] == [429] * (200 - FREE_FAILURES)
        r = httpx.post(url + "login", data={"username": "alice", "password": "s3cret"}, timeout=30)
        assert r.status_code == 429 and "réessayez" in r.json()["detail"]
        # Another address is not blocked: the owner logs in from it.
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=30)
        r = other.post(url + "login", data={"username": "alice", "password": "s3cret"})
        assert r.status_code == 200
