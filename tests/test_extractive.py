"""The previous, rule-based answerer (``answerer = extractive``, the `rules` baseline of `depeche
eval`) over the bundled corpus/: short answers from cited sentences, every marker proven by a
verbatim quote that holds the answer, and abstention when the corpus is silent."""
from __future__ import annotations

import re

import pytest

from depeche.settings import Settings
from rag.answerers import NOT_FOUND_EN, NOT_FOUND_FR, get_answerer

SEED_ID = "000_1597ff3a76891786"

pytestmark = pytest.mark.model


def assert_proven(engine, ans):
    """Every [n] points to a citation whose quote is the article text at its offsets and holds
    the short answer (or, for a resolved day, the day word); the text stays short."""
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", ans.text)}
    assert markers == {c.n for c in ans.citations}
    assert len(ans.text) <= 320
    for c in ans.citations:
        article = engine.article(c.article_id)
        assert article.text[c.start:c.end] == c.quote
    return markers


@pytest.fixture(scope="module")
def rules_engine(corpus_index):
    from rag.engine import Engine

    engine = Engine(corpus_index.replace({"answerer": "extractive"}))
    engine.warm_up()
    return engine


def test_extractive_answerer_is_registered_beside_the_default_reader(corpus_engine):
    assert Settings().answerer == "reader"
    assert type(get_answerer("extractive", corpus_engine)).__name__ == "ExtractiveAnswerer"


def test_who_criticised_the_meeting_is_donald_trump_cited_from_the_seed(rules_engine):
    ans = rules_engine.ask("Qui a critiqué la rencontre ?")
    assert not ans.abstained
    assert ans.short_answer == "Donald Trump"
    assert_proven(rules_engine, ans)
    first = ans.citations[0]
    assert first.article_id == SEED_ID and "Donald Trump" in first.quote
    assert ans.text.startswith("Donald Trump")


def test_english_question_gets_the_same_answer_from_the_french_dispatch(rules_engine):
    ans = rules_engine.ask("Who criticised the meeting?")
    assert not ans.abstained
    assert ans.short_answer == "Donald Trump"
    assert_proven(rules_engine, ans)
    assert any(c.article_id == SEED_ID and "Donald Trump" in c.quote for c in ans.citations)


def test_quel_jour_resolves_mardi_against_the_dispatch_date(rules_engine):
    ans = rules_engine.ask("Quel jour Kim Jong Un est-il arrivé à Pékin ?")
    assert not ans.abstained
    assert ans.short_answer.startswith("mardi")
    assert "2 septembre 2025" in ans.short_answer
    assert_proven(rules_engine, ans)
    assert ans.citations[0].article_id == SEED_ID and "mardi" in ans.citations[0].quote


def test_who_met_kim_is_xi_not_kim_himself(rules_engine):
    ans = rules_engine.ask("Qui a rencontré Kim Jong Un jeudi à Pékin ?")
    assert ans.short_answer == "Xi Jinping"
    assert_proven(rules_engine, ans)


@pytest.mark.parametrize("question, english", [
    ("Quelle est la recette de la tarte Tatin ?", False),
    ("Qui a remporté le Tour de France à la voile en 1987 ?", False),
    # Neymar's contract runs "jusqu'en juin 2022": the year matches, the Coupe du monde is nowhere
    ("Qui a remporté la Coupe du monde de football en 2022 ?", False),
    ("What is the recipe for apple pie?", True),
])
def test_question_about_something_absent_abstains_and_offers_related_reading(rules_engine, question, english):
    ans = rules_engine.ask(question)
    assert ans.abstained
    assert ans.text == (NOT_FOUND_EN if english else NOT_FOUND_FR)
    assert ans.citations == () and ans.short_answer is None
    assert ans.related, "the closest passages are offered as related reading"
    for r in ans.related:
        assert rules_engine.article(r.article_id).text[r.start:r.end] == r.quote
    assert ans.to_json()["related"] and ans.to_json()["abstained"] is True


def test_a_claim_failing_the_citation_check_is_dropped(rules_engine):
    from dataclasses import replace

    from rag.answer_types import detect

    answerer = rules_engine.answerer
    q = "Quel jour Kim Jong Un est-il arrivé à Pékin ?"
    hits = rules_engine.search(q)
    ranked = answerer.scorer.score(q, hits)
    cands = answerer.candidates(q, detect(q), ranked)
    good = cands[0]
    assert len(answerer.verify([good])) == 1
    shifted = replace(good, sentence=replace(good.sentence, start=good.sentence.start + 1,
                                             end=good.sentence.end + 1))
    assert answerer.verify([shifted]) == []  # offsets no longer give the quote
    wrong_span = replace(good, span=replace(good.span, text="vendredi"))
    assert answerer.verify([wrong_span]) == []  # the quote does not hold the answer


def test_answer_json_keeps_its_public_fields(rules_engine):
    out = rules_engine.ask("Qui a rencontré Kim Jong Un jeudi à Pékin ?").to_json()
    for key in ("question", "answer", "short_answer", "abstained", "citations", "related", "passages",
                "search_query", "timings_ms"):
        assert key in out
    c = out["citations"][0]
    assert {"n", "article_id", "start", "end", "quote", "title", "date", "url", "path", "score"} <= set(c)


def test_a_period_the_corpus_says_nothing_about_gets_no_answer(rules_engine):
    assert not rules_engine.ask("Qui a remporté la Coupe de la Ligue de handball en mars 2016 ?").abstained
    ans = rules_engine.ask("Qui a remporté la Coupe de la Ligue de handball en mars 2031 ?")
    assert ans.abstained and ans.related


def test_named_period_ranks_articles_of_that_period_higher(rules_engine):
    from rag.query import search
    from rag.retrieve import Filters

    r = rules_engine.retriever
    q = "Qu'a annoncé la Chine en avril 2018 ?"

    def in_april(hits):
        return sum(bool(h.chunk.date and h.chunk.date.startswith("2018-04")) for h in hits)

    assert in_april(search(r, q, 5, Filters(), date_mode="boost")) > in_april(search(r, q, 5, Filters(), date_mode="off"))


def test_an_english_question_writing_a_name_keeps_the_full_weight_of_word_matching():
    from rag.query import lexical_weight

    assert lexical_weight(0.5, "Quels dirigeants se sont rencontrés à Sandhurst ?", False) == 0.5
    assert lexical_weight(0.5, "Which leaders met at Sandhurst?", True) == 0.5  # "Sandhurst" is the same in French
    assert lexical_weight(0.5, "Which leaders attended the parade?", True) == 0.25  # a rough translation only
