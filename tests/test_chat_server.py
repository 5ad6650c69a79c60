"""The real chat server over a small index: 20 simultaneous sessions through gradio_client, login,
loopback binding, and a page that needs nothing from the internet."""
from __future__ import annotations

import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from depeche.settings import Settings
from tests.conftest import chat_server, turns

pytestmark = [pytest.mark.slow, pytest.mark.model]

SESSIONS = 20
QUESTION = "Qui a rencontré Kim Jong Un jeudi à Pékin ?"
FOLLOW_UP = "Et qu'a répondu la Chine ?"


@pytest.fixture(scope="module")
def chat_url(corpus_engine, corpus_index):
    with chat_server(corpus_engine, corpus_index, warm=True) as (app, url):  # warm: the figures below are warm
        assert app.server_name == "127.0.0.1"
        yield url


def session(url: str) -> dict:
    from gradio_client import Client

    client = Client(url, verbose=False)
    t0 = time.perf_counter()
    first = client.predict(QUESTION, None, None, [], api_name="/ask")
    t1 = time.perf_counter()
    second = client.predict(FOLLOW_UP, None, None, [], api_name="/ask")
    t2 = time.perf_counter()
    return {"first": first, "second": second, "s1": t1 - t0, "s2": t2 - t1}


def test_twenty_simultaneous_sessions_all_get_cited_answers_and_their_own_follow_ups(chat_url):
    with ThreadPoolExecutor(SESSIONS) as pool:
        results = list(pool.map(session, [chat_url] * SESSIONS))
    for r in results:
        html_1, _question_box = r["first"]
        assert len(turns(html_1)) == 1, "each session has its own conversation"
        t1 = turns(html_1)[0]
        assert "dp-error" not in t1 and "Xi Jinping" in t1 and 'class="dp-cite"' in t1
        html_2, _ = r["second"]
        assert len(turns(html_2)) == 2
        t2 = turns(html_2)[1]
        assert "dp-error" not in t2 and "Recherche : " in t2 and 'class="dp-cite"' in t2
        assert re.search(r"Recherche : [^<]*(rencontre|Trump|Kim|Xi)", t2), "the follow-up carried the subject"
    s1 = sorted(r["s1"] for r in results)
    s2 = sorted(r["s2"] for r in results)
    print(f"\n{SESSIONS} sessions: first question median {statistics.median(s1):.2f}s max {s1[-1]:.2f}s; "
          f"follow-up median {statistics.median(s2):.2f}s max {s2[-1]:.2f}s")


def test_page_and_theme_need_nothing_from_the_internet(chat_url):
    page = httpx.get(chat_url, timeout=30).text
    css = httpx.get(chat_url + "theme.css", timeout=30).text
    for body in (page, css):
        assert "fonts.googleapis.com" not in body and "fonts.gstatic.com" not in body
    assert not re.search(r"@import\s+url\(\s*['\"]?https?:", css)


def test_the_chat_can_require_a_login(corpus_engine, corpus_index):
    from gradio_client import Client

    settings = corpus_index.replace({"auth": "alice:s3cret"})
    with chat_server(corpus_engine, settings) as (_, url):
        assert httpx.get(url + "config", timeout=30).status_code == 401
        with pytest.raises(Exception):
            Client(url, verbose=False, auth=("alice", "wrong"))
        client = Client(url, verbose=False, auth=("alice", "s3cret"))
        markup, _ = client.predict(QUESTION, None, None, [], api_name="/ask")
        assert "Xi Jinping" in markup


def test_filters_restrict_the_answer_and_are_shown_with_it(chat_url):
    from gradio_client import Client

    client = Client(chat_url, verbose=False)
    markup, _ = client.predict(QUESTION, "2016-01-01", "2018-12-31", [], api_name="/ask")
    t = turns(markup)[0]
    assert "Filtres : du 1er janvier 2016 au 31 décembre 2018" in t
    assert "Xi Jinping" not in t  # the dispatch of 2025 is outside the period
    markup, _ = Client(chat_url, verbose=False).predict(QUESTION, "2019-13-01", None, [], api_name="/ask")
    assert "dp-error" in markup and "AAAA-MM-JJ" in markup


def test_settings_default_to_loopback():
    assert Settings().host == "127.0.0.1"
