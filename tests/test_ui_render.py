"""The chat's HTML: untrusted article text shows as text, markers open the right citation, and the
safe-by-default launch options. No server here (see test_chat_server.py and test_browser.py)."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from depeche.errors import DepecheError
from depeche.settings import Settings
from depeche.types import Answer, Article, Citation
from ui import render
from ui.chat import history_of, parse_day, parse_filters
from ui.errors import INTERNAL, user_message
from ui.render import Turn

HOSTILE = ('Titre <script>alert(1)</script> <img src=x onerror="alert(2)"> '
           '[cliquez](javascript:alert(3)) **gras** <a href="javascript:alert(4)">lien</a> {{value}} ${value}')

OUR_TAGS = {"div", "section", "span", "a", "ol", "ul", "li", "mark", "article", "h2", "h3", "p", "b", "button"}


class Tags(HTMLParser):
    """Collects tags, attributes and the text a browser would show."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> Tags:
    p = Tags()
    p.feed(markup)
    p.close()
    return p


def assert_inert(markup: str) -> Tags:
    p = parse(markup)
    assert set(p.tags) <= OUR_TAGS, set(p.tags) - OUR_TAGS
    for name, value in p.attrs:
        assert not name.startswith("on"), (name, value)
        if name == "href":
            assert value == "#" or value.startswith(("http://", "https://")), value
        assert "javascript:" not in (value or "").lower() or name in ("title", "aria-label", "data-example")
    return p


def cite(n=1, start=0, end=5, quote=None, text="", article_id="a1", title="Titre", date="2025-09-04"):
    return Citation(n=n, article_id=article_id, title=title, date=date, start=start, end=end,
                    quote=quote if quote is not None else text[start:end], score=1.0)


def answer(text, citations=(), **kw):
    return Answer(question="q", text=text, citations=tuple(citations), abstained=kw.pop("abstained", False), **kw)


# ---- untrusted text ---------------------------------------------------------------------------------
def test_hostile_article_shows_as_plain_text_in_the_source_panel():
    text = f"Début. {HOSTILE} Fin."
    start = text.index("<script>")
    art = Article(id="evil", title=HOSTILE, text=text, date="2018-07-02", url="javascript:alert(5)")
    markup = render.source_html(art, start, start + 30)
    p = assert_inert(markup)
    assert "script" not in p.tags and "img" not in p.tags
    shown = "".join(p.text)
    assert "<script>alert(1)</script>" in shown and 'onerror="alert(2)"' in shown
    assert "[cliquez](javascript:alert(3))" in shown  # a markdown link stays text
    assert "javascript:alert(5)" in shown  # the bad URL is shown, never linked


def test_hostile_title_and_quote_are_inert_in_the_conversation():
    c = cite(text=HOSTILE, start=0, end=len(HOSTILE), title=HOSTILE)
    turn = Turn(question=HOSTILE, answer=answer(f"{HOSTILE} [1]", [c], search_query=HOSTILE), filters=HOSTILE)
    p = assert_inert(render.conversation_html([turn]))
    assert "".join(p.text).count("<script>alert(1)</script>") >= 4


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("<>&\"'`=/ab é[]()!*_${}\n") + [
           "<script>", "onerror=", "javascript:", "<img ", "&amp;", "[1]", "&#x3C;"]), max_size=40).map("".join),
       st.integers(0, 120), st.integers(0, 120))
def test_any_article_text_round_trips_as_text_with_the_exact_span_highlighted(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    markup = render.source_html(Article(id="x", title=text, text=text, url=text), start, end)
    p = assert_inert(markup)
    body = markup[markup.index('<div class="dp-article-body"'):]
    body_text = "".join(parse(body).text)
    assert body_text == text
    if end > start:
        mark = markup[markup.index('<mark class="dp-hl">') + 20:markup.index("</mark>")]
        assert "".join(parse(mark).text) == text[start:end]


def test_only_http_urls_become_links():
    assert render.safe_url("https://fr.wikinews.org/wiki/X") == "https://fr.wikinews.org/wiki/X"
    for bad in ("javascript:alert(1)", "data:text/html,x", "  JAVASCRIPT:x", "http://x\" onclick=\"y", "", None):
        assert render.safe_url(bad) is None


# ---- markers and sources ------------------------------------------------------------------------------
def test_markers_become_buttons_only_for_numbers_that_are_cited():
    c1, c2 = cite(1), cite(2, article_id="b")
    markup = render.marked_text("Donald Trump [1], voir [2] et [7].", [c1, c2], turn=3)
    assert markup.count('class="dp-cite"') == 2
    assert 'data-turn="3" data-cite="1"' in markup and 'data-cite="2"' in markup
    assert "[7]" in markup and 'data-cite="7"' not in markup


def test_source_list_has_one_line_per_article_with_title_and_date():
    cits = [cite(1, title="Xi et Kim"), cite(2, article_id="b", title="Neymar", date=None), cite(3, title="Xi et Kim")]
    p = parse(render.sources_list(cits, 0))
    assert p.tags.count("li") == 2
    shown = "".join(p.text)
    assert "[1][3] Xi et Kim 4 septembre 2025" in shown and "[2] Neymar date inconnue" in shown


def test_highlight_covers_exactly_the_cited_offsets():
    text = "Première phrase. La rencontre a piqué au vif Donald Trump. Dernière."
    start = text.index("La rencontre")
    end = text.index("Trump.") + len("Trump.")
    markup = render.source_html(Article(id="a", title="T", text=text), start, end, "Source [1]")
    assert '<mark class="dp-hl">La rencontre a piqué au vif Donald Trump.</mark>' in markup
    assert "Source [1]" in markup


def test_long_article_is_cut_around_the_passage():
    text = "x" * 100_000 + "PASSAGE" + "y" * 100_000
    markup = render.source_html(Article(id="a", title="T", text=text), 100_000, 100_007)
    assert "<mark class=\"dp-hl\">PASSAGE</mark>" in markup and len(markup) < 40_000 and "[…]" in markup


def test_follow_up_shows_what_was_searched_and_abstention_offers_related_passages():
    rel = cite(1, text="Un passage proche.", start=0, end=18, title="Proche")
    abst = answer("Je ne trouve pas cette information dans le corpus.", abstained=True, related=(rel,),
                  search_query="Quand Kim Jong Un est-il arrivé (contexte : Pékin) ?")
    markup = render.conversation_html([Turn("Quand est-il arrivé ?", abst)])
    assert "Recherche : Quand Kim Jong Un est-il arrivé (contexte : Pékin) ?" in markup
    assert "Pas de réponse dans le corpus" in markup and 'data-related="1"' in markup
    assert "Un passage proche." in markup


def test_abstention_without_related_passages_offers_the_retrieved_ones():
    from depeche.types import Chunk, Hit

    chunk = Chunk(id="c", article_id="a1", title="Proche", date=None, url=None, path="corpus/a1.txt",
                  start=10, end=30, text="Un passage retrouvé.")
    abst = answer("Je ne trouve pas cette information dans le corpus.", abstained=True, passages=(Hit(chunk, 0.3),))
    markup = render.conversation_html([Turn("Qui a gagné en 2022 ?", abst)])
    assert 'data-related="1"' in markup and "Un passage retrouvé." in markup
    assert render.related_of(abst)[0].start == 10


def test_streaming_shows_a_prefix_that_never_cuts_a_marker():
    text = "Donald Trump [1] a écrit sur Truth Social [2] à l'adresse de Xi Jinping [3]."
    points = render.stream_points(text, steps=50)
    assert points[-1] == len(text) and points == sorted(set(points))
    for p in points:
        prefix = text[:p]
        assert prefix.count("[") == prefix.count("]")
    streaming = render.conversation_html([Turn("q", answer(text, [cite(1)]), shown=points[0])])
    assert "dp-caret" in streaming and "dp-sources" not in streaming and "dp-done" not in streaming
    done = render.conversation_html([Turn("q", answer(text, [cite(1)]))])
    assert "dp-done" in done and "dp-caret" not in done and "dp-sources" in done


def test_empty_conversation_offers_example_questions():
    markup = render.conversation_html([], ["Qui a critiqué la rencontre ?", "Who won?"], "23 articles.")
    assert 'data-example="Qui a critiqué la rencontre ?"' in markup and "Who won?" in markup


# ---- filters and history --------------------------------------------------------------------------------
KNOWN = {"a1": Article(id="a1", title="Xi et Kim", text="t"), "b2": Article(id="b2", title="Neymar", text="t")}


def test_filters_are_parsed_and_labelled():
    s, u, ids, label = parse_filters("2016-01-01", "2017-12-31 00:00:00", ["b2"], KNOWN)
    assert (s, u, ids) == ("2016-01-01", "2017-12-31", ("b2",))
    assert label == "du 1er janvier 2016 au 31 décembre 2017 · 1 article : « Neymar »"
    assert parse_filters(None, "", [], KNOWN) == (None, None, (), "")
    assert "Filtres actifs" in render.filters_html(label)


@pytest.mark.parametrize("since, until, arts, words", [
    ("2016-13-01", None, [], "AAAA-MM-JJ"),
    ("demain", None, [], "AAAA-MM-JJ"),
    ("2018-01-01", "2017-01-01", [], "inversez"),
    (None, None, ["gone"], "retirez-le"),
])
def test_bad_filters_are_refused_with_a_sentence_saying_what_to_do(since, until, arts, words):
    with pytest.raises(DepecheError, match=words):
        parse_filters(since, until, arts, KNOWN)
    assert parse_day(1_500_000_000.0, "de début") == "2017-07-14"


def test_history_gives_the_searched_question_and_the_short_answer_of_the_last_turns():
    t1 = Turn("Qui a critiqué la rencontre ?", answer("Donald Trump [1].", short_answer="Donald Trump"))
    t2 = Turn("Et qu'a répondu la Chine ?", answer("Guo Jiakun a rejeté ces propos [1]. Puis…",
                                                     search_query="Qu'a répondu la Chine (contexte : x) ?"))
    t3 = Turn("Quoi ?", error="erreur")
    assert history_of([t1, t2, t3]) == ["Qui a critiqué la rencontre ?", "Donald Trump",
                                        "Qu'a répondu la Chine (contexte : x) ?", "Guo Jiakun a rejeté ces propos [1]."]


# ---- errors and launch options ---------------------------------------------------------------------------
def test_user_sees_depeche_errors_verbatim_and_internal_errors_without_details():
    assert user_message(DepecheError("Run `depeche index`.")) == "Run `depeche index`."
    msg = user_message(KeyError("secret/path/chroma.sqlite3"))
    assert msg == INTERNAL and "secret" not in msg


def test_chat_binds_loopback_never_shares_and_loads_no_web_font():
    from ui.app import launch_options

    opts = launch_options(Settings())
    assert opts["server_name"] == "127.0.0.1" and opts["share"] is False and opts["auth"] is None
    assert opts["enable_monitoring"] is False
    assert opts["theme"]._stylesheets == [] and "googleapis" not in opts["css"]
    opts = launch_options(Settings.from_mapping({"auth": "alice:s3cret", "host": "0.0.0.0"}))
    assert opts["auth"] == ("alice", "s3cret") and opts["server_name"] == "0.0.0.0"


@pytest.mark.parametrize("bad", ["alice", ":pw", "alice:"])
def test_malformed_auth_is_refused(bad):
    from ui.app import parse_auth

    with pytest.raises(DepecheError, match="USER:PASSWORD"):
        parse_auth(bad)
