"""Each eval metric on hand-made cases (no index, no model: results are plain `ask --json` dicts)."""
import pytest

from depeche.errors import DepecheError
from eval.gold import GoldItem
from eval.metrics import (aggregate, answer_correct, article_rank, check_bounds, citation_checks,
                          citation_supported, evidence_hit, find_spans, parse_bound, percentile,
                          score_question, short_answer_f1, token_f1)

ARTICLE = ("Malgré les critiques de l’Algérie et de l’Afrique du Sud, le Maroc revient.\n\n"
           "Le vote a eu lieu à Addis-Abeba. Malgré les critiques de l’Algérie et de l’Afrique du Sud, "
           "39 pays ont voté pour.")
ARTICLES = {"maroc": ARTICLE, "autre": "Un autre article sans rapport."}
GOLD = GoldItem(id="g1", question="Quels pays ont critiqué le retour du Maroc ?",
                answers=("l'Algérie et l'Afrique du Sud", "Algérie"),
                evidence=("Malgré les critiques de l'Algérie et de l'Afrique du Sud",), article="maroc")
UNANSWERABLE = GoldItem(id="g2", question="Qui a gagné en 2031 ?", answers=())


def passage(article_id, start, end, articles=ARTICLES):
    return {"article_id": article_id, "start": start, "end": end, "text": articles[article_id][start:end]}


def citation(article_id, start, end, quote=None, n=1):
    return {"n": n, "article_id": article_id, "start": start, "end": end,
            "quote": ARTICLES[article_id][start:end] if quote is None else quote}


def result(answer="", *, abstained=False, short=None, citations=(), passages=(), latency=10.0):
    return {"answer": answer, "abstained": abstained, "short_answer": short, "citations": list(citations),
            "passages": list(passages), "latency_ms": latency}


# ---- strings ------------------------------------------------------------------------------
def test_typographic_apostrophes_match_straight_ones_in_answers():
    r = result("Les critiques de l’Algérie et de l’Afrique du Sud [1]")
    assert answer_correct(r, GOLD) is True


def test_evidence_with_straight_apostrophes_is_found_in_text_with_typographic_ones():
    spans = find_spans(ARTICLE, GOLD.evidence[0])
    assert spans, "normalised search must see through ’ vs '"
    s, e = spans[0]
    assert ARTICLE[s:e] == "Malgré les critiques de l’Algérie et de l’Afrique du Sud"


def test_an_evidence_string_at_two_places_gives_two_spans_with_exact_offsets():
    spans = find_spans(ARTICLE, GOLD.evidence[0])
    assert len(spans) == 2
    for s, e in spans:
        assert ARTICLE[s:e].startswith("Malgré") and ARTICLE[s:e].endswith("Afrique du Sud")


def test_find_spans_collapses_whitespace_and_case_and_maps_back_to_original_offsets():
    text = "Il a dit :\n\n  «  BONJOUR   le\tMonde » hier."
    (s, e), = find_spans(text, "bonjour le monde")
    assert text[s:e] == "BONJOUR   le\tMonde"
    assert find_spans(text, "   ") == []


def test_find_spans_handles_decomposed_accents():
    text = "Le ministre de l'Éducation est arrivé."
    decomposed = "Le ministre de l'E\u0301ducation"
    assert find_spans(text, decomposed) == [(0, len("Le ministre de l'Éducation"))]


# ---- retrieval ------------------------------------------------------------------------------
def test_evidence_hit_at_1_and_at_5_depend_on_where_the_evidence_passage_ranks():
    first, second = ARTICLE.split("\n\n")
    passages = [passage("autre", 0, 10), passage("maroc", len(first) + 2, len(ARTICLE))]
    assert evidence_hit(passages, GOLD, 1) is False
    assert evidence_hit(passages, GOLD, 5) is True


def test_evidence_hit_is_none_when_the_gold_gives_no_evidence():
    assert evidence_hit([passage("maroc", 0, 20)], UNANSWERABLE, 5) is None


def test_evidence_that_straddles_two_passages_is_not_a_hit():
    passages = [passage("maroc", 0, 30), passage("maroc", 30, 80)]
    assert evidence_hit(passages, GOLD, 5) is False


def test_known_spans_require_the_passage_covering_that_span_not_another_occurrence():
    text = "En 1973 il part.\n\nL'usine ouvre en 1973 à Joué."
    arts = {"a": text}
    at = text.index("1973", 10)
    gold = GoldItem(id="s", question="Depuis quand ?", answers=("1973",), evidence=("1973",), article="a",
                    spans=((at, at + 4),))
    assert evidence_hit([passage("a", 0, 16, arts)], gold, 5) is False
    assert evidence_hit([passage("a", 0, 16, arts), passage("a", 18, len(text), arts)], gold, 5) is True


def test_article_rank_mrr_and_article_hit_at_5():
    ps = [passage("autre", 0, 5), passage("autre", 5, 10), passage("maroc", 0, 10)]
    assert article_rank(ps, GOLD) == 3
    assert article_rank(ps[:2], GOLD) == 0
    assert article_rank(ps, UNANSWERABLE) is None
    six = [passage("autre", 0, 5)] * 5 + [passage("maroc", 0, 10)]
    scores = [score_question(result(passages=ps), GOLD, ARTICLES),
              score_question(result(passages=six), GOLD, ARTICLES)]
    m = aggregate(scores, [GOLD, GOLD])
    assert m["mrr"]["value"] == pytest.approx((1 / 3 + 1 / 6) / 2)
    assert (m["article_hit@5"]["hits"], m["article_hit@5"]["count"]) == (1, 2)


# ---- answers --------------------------------------------------------------------------------
def test_an_answer_of_301_characters_is_wrong_even_if_it_holds_the_gold_answer():
    body = "L'Algérie a critiqué. "
    exactly_300 = body + "x" * (300 - len(body))
    assert len(exactly_300) == 300 and answer_correct(result(exactly_300), GOLD) is True
    assert answer_correct(result(exactly_300 + "x"), GOLD) is False


def test_an_answer_without_any_gold_answer_is_wrong():
    assert answer_correct(result("Le Maroc revient [1]"), GOLD) is False


def test_an_abstention_is_right_on_an_unanswerable_item_and_wrong_on_an_answerable_one():
    abst = result("Je ne trouve pas cette information dans le corpus.", abstained=True)
    s_un = score_question(abst, UNANSWERABLE, ARTICLES)
    s_ans = score_question(abst, GOLD, ARTICLES)
    assert s_un["failed"] is False and s_ans["failed"] is True
    assert answer_correct(abst, GOLD) is False and answer_correct(abst, UNANSWERABLE) is None
    assert short_answer_f1(abst, GOLD) == 0.0
    assert citation_supported(abst, GOLD, ARTICLES) is None  # not answered: not in the denominator
    m = aggregate([s_un, s_ans], [UNANSWERABLE, GOLD])
    assert (m["abstention_accuracy"]["hits"], m["abstention_accuracy"]["count"]) == (1, 1)
    assert (m["false_abstention"]["hits"], m["false_abstention"]["count"]) == (1, 1)
    assert (m["answer_accuracy"]["hits"], m["answer_accuracy"]["count"]) == (0, 1)


def test_answering_an_unanswerable_question_fails_abstention():
    s = score_question(result("Le FC Metz [1]"), UNANSWERABLE, ARTICLES)
    m = aggregate([s], [UNANSWERABLE])
    assert s["failed"] is True and m["abstention_accuracy"]["value"] == 0.0
    assert m["answer_accuracy"]["count"] == 0 and m["answer_accuracy"]["value"] is None


def test_a_question_that_raised_an_error_counts_as_wrong_and_as_an_error():
    err = {"question": "q", "error": "boom", "answer": "", "abstained": False, "citations": [], "passages": [],
           "short_answer": None, "latency_ms": 1.0}
    s = score_question(err, GOLD, ARTICLES)
    m = aggregate([s], [GOLD])
    assert s["failed"] and m["errors"]["value"] == 1 and m["latency_p50_ms"]["count"] == 0


def test_short_answer_f1_is_squad_token_f1_against_the_best_gold_answer():
    assert token_f1("le président Xi Jinping", "Xi Jinping") == pytest.approx(0.8)
    assert token_f1("Xi Jinping", "Xi Jinping.") == 1.0
    assert token_f1("l’Algérie", "Algérie") == 1.0  # elided article dropped, apostrophe normalised
    assert token_f1("Kim", "Xi Jinping") == 0.0
    r = result("Algérie [1]", short="Algérie")
    assert short_answer_f1(r, GOLD) == 1.0  # best of the two gold answers
    assert short_answer_f1(result("x [1]", short=None), GOLD) == 0.0


# ---- citations ------------------------------------------------------------------------------
def test_citation_verbatim_checks_the_reloaded_article_not_the_answers_own_quote():
    good = citation("maroc", 0, 20)
    lying = citation("maroc", 0, 20, quote="Malgré les reproches")  # 20 chars, but not what is there
    shifted = citation("maroc", 1, 21, quote=ARTICLE[0:20])
    unknown = {"n": 4, "article_id": "absent", "start": 0, "end": 5, "quote": "Malgr"}
    checks = citation_checks(result(citations=[good, lying, shifted, unknown]), ARTICLES)
    assert checks == [True, False, False, None]
    m = aggregate([score_question(result("x", citations=[good, shifted, unknown]), GOLD, ARTICLES)], [GOLD])
    assert (m["citation_verbatim"]["hits"], m["citation_verbatim"]["count"]) == (1, 2)
    assert m["citation_verbatim"]["unverifiable"] == 1


def test_citation_overlapping_the_second_occurrence_of_the_evidence_supports_the_answer():
    (s1, e1), (s2, e2) = find_spans(ARTICLE, GOLD.evidence[0])
    second = citation("maroc", s2 + 5, e2 + 10)
    assert citation_supported(result("x", citations=[second]), GOLD, ARTICLES) is True
    between = citation("maroc", e1 + 1, s2 - 1)
    assert citation_supported(result("x", citations=[between]), GOLD, ARTICLES) is False


def test_a_citation_of_another_article_does_not_support_even_with_the_same_words():
    arts = dict(ARTICLES, copie=ARTICLE)
    c = {"n": 1, "article_id": "copie", "start": 0, "end": 60, "quote": ARTICLE[:60]}
    assert citation_supported(result("x", citations=[c]), GOLD, arts) is False


# ---- aggregates and bounds ----------------------------------------------------------------
def test_percentile_interpolates_like_numpy():
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([1.0] * 19 + [100.0], 95) == pytest.approx(5.95)
    assert percentile([], 50) is None


def test_every_aggregate_carries_its_count():
    s = score_question(result("L'Algérie [1]", citations=[citation("maroc", 0, 20)],
                              passages=[passage("maroc", 0, 40)]), GOLD, ARTICLES)
    m = aggregate([s], [GOLD])
    assert all("count" in v for v in m.values())
    assert m["passage_chars@1"] == {"value": 40.0, "count": 1}


def test_bounds_parse_and_fail_below_a_floor_or_above_a_ceiling():
    systems = {"depeche": {"answer_accuracy": {"value": 0.7, "count": 10},
                           "latency_p95_ms": {"value": 500.0, "count": 10}},
               "bm25": {"evidence_hit@5": {"value": 0.95, "count": 10}}}
    mins = [parse_bound("answer_accuracy=0.8"), parse_bound("bm25:evidence_hit@5=0.9")]
    maxs = [parse_bound("latency_p95_ms=400", "--max")]
    failures = check_bounds(systems, mins, maxs, default_system="depeche")
    assert len(failures) == 2
    assert "answer_accuracy" in failures[0] and "latency_p95_ms" in failures[1]
    assert check_bounds(systems, [parse_bound("answer_accuracy=0.7")], [], "depeche") == []
    for bad in ("answer_accuracy", "accuracy=0.8", "answer_accuracy=high"):
        with pytest.raises(DepecheError):
            parse_bound(bad)
