"""Shaped answers in the chat's HTML: a list as a list, a summary as paragraphs, markers clickable."""
from __future__ import annotations

from html.parser import HTMLParser

from depeche.types import Answer, Citation
from ui import render
from ui.render import Turn


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.cites, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        d = dict(attrs)
        if "data-cite" in d:
            self.cites.append(d["data-cite"])

    def handle_data(self, data):
        self.text.append(data)


def parsed(markup: str) -> Tags:
    t = Tags()
    t.feed(markup)
    return t


def cit(n: int, quote: str = "Xi Jinping a rencontré Kim Jong Un.") -> Citation:
    return Citation(n, "000", "Titre <b>", "2025-09-04", 0, len(quote), quote, 1.0)


def test_a_list_answer_renders_as_a_list_with_clickable_markers():
    a = Answer("Quels dirigeants ?", "• Xi Jinping — « … » [1]\n• Kim Jong Un [1]\n• Vladimir Poutine <script> [2]",
               (cit(1), cit(2)), False, shape="list")
    html = render.turn_html(Turn("Quels dirigeants ?", a), 0)
    t = parsed(html)
    assert t.tags.count("ul") >= 1 and t.tags.count("li") >= 3
    assert "dp-shape-list" in html and '<ul class="dp-list">' in html
    assert t.cites[:3] == ["1", "1", "2"]
    assert "script" not in t.tags and "Vladimir Poutine <script>" in "".join(t.text)


def test_a_summary_renders_as_one_paragraph_per_article():
    a = Answer("Résume", "Titre A (4 septembre 2025) : Phrase un. [1] Phrase deux. [2]\n\nTitre B (5 septembre 2025) : "
               "Phrase trois. [3]", (cit(1), cit(2), cit(3)), False, shape="summary")
    html = render.turn_html(Turn("Résume", a), 2)
    assert html.count('<p class="dp-para">') == 2
    assert parsed(html).cites[:3] == ["1", "2", "3"]
    assert 'data-turn="2"' in html


def test_a_one_article_summary_is_a_paragraph_too():
    a = Answer("Résume", "Titre A (4 septembre 2025) : Phrase un. [1] Phrase deux. [2]", (cit(1), cit(2)), False,
               shape="summary")
    assert render.turn_html(Turn("Résume", a), 0).count('<p class="dp-para">') == 1


def test_a_plain_answer_is_unchanged():
    text = "Donald Trump — « … » [1]"
    assert render.shaped_text(text, [cit(1)], 0) == render.marked_text(text, [cit(1)], 0)


def test_the_json_contract_gains_shape_and_keeps_every_field():
    a = Answer("q", "t", (), False)
    j = a.to_json()
    assert j["shape"] == "fact"
    assert {"question", "answer", "short_answer", "abstained", "citations", "related", "passages",
            "search_query", "timings_ms"} <= set(j)
    assert Answer("q", "t", (), False, shape="list").to_json()["shape"] == "list"
