"""Shaped gold questions: the format (eval/gold.py) and their per-shape scores (eval/shaped.py)."""
from __future__ import annotations

import json

import pytest

from eval.gold import parse_gold
from eval.metrics import aggregate, score_question
from eval.shaped import answer_items, shape_score, shapes_table, verdict_of
from tests.conftest import ROOT

ART = {"a": "Xi Jinping a rencontré Kim Jong Un. Les deux hommes avaient assisté au défilé avec Vladimir Poutine. "
            "Trump a réagi depuis Washington."}


def gold(**kw):
    rec = {"id": "q", "question": "?", **kw}
    items, problems = parse_gold(json.dumps(rec, ensure_ascii=False))
    assert not problems, problems
    return items[0]


def cit(n, start, end):
    return {"n": n, "article_id": "a", "start": start, "end": end, "quote": ART["a"][start:end]}


def test_shaped_lines_parse_without_answers_and_bad_values_are_reported():
    g = gold(shape="list", items=["Xi Jinping", "Vladimir Poutine|Poutine"], article="a")
    assert g.answerable and g.items[1] == "Vladimir Poutine|Poutine" and g.to_json()["shape"] == "list"
    _, problems = parse_gold('{"id": "x", "question": "?", "shape": "poem", "items": ["a"]}')
    assert "'shape' must be one of" in problems[0]
    _, problems = parse_gold('{"id": "x", "question": "?", "shape": "yesno", "verdict": "maybe"}')
    assert "'verdict' must be one of" in problems[0]
    _, problems = parse_gold('{"id": "x", "question": "?", "shape": "list"}')
    assert "'answers' is missing" in problems[0]


def test_list_recall_and_precision_count_items_not_words_of_the_quotes():
    g = gold(shape="list", items=["Xi Jinping", "Kim Jong Un", "Vladimir Poutine|Poutine"])
    text = "• Xi Jinping — « … Kim Jong Un … » [1]\n• Poutine [2]\n• Donald Trump [3]"
    assert answer_items(text) == ["Xi Jinping", "Poutine", "Donald Trump"]
    s = shape_score({"answer": text, "citations": [], "shape": "list"}, g, ART)
    assert s["list_recall"] == pytest.approx(2 / 3) and s["list_precision"] == pytest.approx(2 / 3)
    assert s["recognised"] and s["main"] == s["list_recall"]


def test_summary_coverage_counts_key_sentences_a_citation_overlaps():
    g = gold(shape="summary", key_sentences=["Xi Jinping a rencontré Kim Jong Un", "Trump a réagi|absent"])
    first = ART["a"].index(".") + 1
    s = shape_score({"answer": "…", "citations": [cit(1, 0, first)], "shape": "summary"}, g, ART)
    assert s["coverage"] == 0.5
    assert shape_score({"answer": "", "abstained": True, "citations": [cit(1, 0, first)]}, g, ART)["coverage"] == 0


def test_timeline_order_follows_citation_numbers():
    g = gold(shape="timeline", key_sentences=["Xi Jinping a rencontré", "Trump a réagi"])
    t = ART["a"].index("Trump")
    right = shape_score({"answer": "", "citations": [cit(1, 0, 30), cit(2, t, len(ART["a"]))]}, g, ART)
    wrong = shape_score({"answer": "", "citations": [cit(2, 0, 30), cit(1, t, len(ART["a"]))]}, g, ART)
    assert right["coverage"] == wrong["coverage"] == 1.0
    assert right["order"] is True and wrong["order"] is False


def test_cause_is_found_in_the_answer_or_a_cited_sentence_and_yes_no_never_bare():
    g = gold(shape="cause", cause=["défilé avec Vladimir"])
    assert shape_score({"answer": "x", "citations": [cit(1, 36, 100)]}, g, ART)["cause_found"] == 1.0
    assert shape_score({"answer": "x", "citations": []}, g, ART)["cause_found"] == 0.0
    y = gold(shape="yesno", verdict="unsaid", key_sentences=["Les deux hommes avaient assisté"])
    c = [cit(1, 36, 100)]
    assert shape_score({"answer": "Le corpus ne le dit pas … [1]", "citations": c}, y, ART)["verdict_ok"] == 1.0
    assert shape_score({"answer": "Non, selon le corpus : … [1]", "citations": c}, y, ART)["verdict_ok"] == 0.0
    assert verdict_of("Yes, according to the corpus") == "yes" and verdict_of("Noé est venu") == "unsaid"


def test_a_cause_is_found_by_any_of_its_variants():
    g = gold(shape="cause", cause=["une raison absente|défilé avec Vladimir"])
    assert shape_score({"answer": "x", "citations": [cit(1, 36, 100)]}, g, ART)["cause_found"] == 1.0
    assert shape_score({"answer": "une raison absente", "citations": []}, g, ART)["cause_found"] == 1.0
    assert shape_score({"answer": "x", "citations": []}, g, ART)["cause_found"] == 0.0


def test_per_shape_table_in_aggregate_and_report():
    g = gold(shape="list", items=["Xi Jinping"])
    res = {"answer": "• Xi Jinping [1]", "citations": [cit(1, 0, 30)], "shape": "list", "latency_ms": 12.0,
           "passages": []}
    m = aggregate([score_question(res, g, ART)], [g])
    assert m["shapes"]["list"]["main"] == 1.0 and m["shapes"]["list"]["citation_verbatim"] == 1.0
    assert "list_recall 1.000" in shapes_table(m["shapes"])


def test_shaped_questions_the_corpus_cannot_answer_are_one_row_judged_by_abstention():
    answerable = gold(shape="list", items=["Xi Jinping"])
    lagos = gold(shape="list", question="Quels pays ont boycotté les Jeux de Lagos ?", answers=[])
    cairo = gold(shape="cause", question="Pourquoi le maire du Caire a-t-il démissionné ?", answers=[])
    listed = {"answer": "• Xi Jinping [1]", "citations": [cit(1, 0, 30)], "shape": "list", "latency_ms": 9.0,
              "passages": []}
    refused = {"answer": "Je ne trouve pas cette information dans le corpus.", "citations": [], "abstained": True,
               "shape": "list", "latency_ms": 5.0, "passages": []}
    wrong = {"answer": "parce que — « Trump a réagi depuis Washington. » [1]", "citations": [cit(1, 75, 107)],
             "shape": "cause", "latency_ms": 7.0, "passages": []}
    m = aggregate([score_question(r, g, ART) for r, g in ((listed, answerable), (refused, lagos), (wrong, cairo))],
                  [answerable, lagos, cairo])
    assert m["shapes"]["list"]["count"] == 1 and m["shapes"]["list"]["main"] == 1.0  # not pulled down
    assert "cause" not in m["shapes"]
    assert m["shapes"]["unanswerable"]["count"] == 2 and m["shapes"]["unanswerable"]["main"] == 0.5
    assert "unanswerable" in shapes_table(m["shapes"])


def test_the_shaped_gold_files_are_valid_split_by_article_and_large_enough():
    from eval.gold import load_gold
    from rag.shapes import SHAPES

    dev = load_gold(ROOT / "eval" / "gold" / "shapes-dev.jsonl")
    held = load_gold(ROOT / "eval" / "gold" / "shapes-heldout.jsonl")
    assert len(dev) + len(held) >= 40
    assert {g.shape for g in dev} | {g.shape for g in held} == set(SHAPES) - {"fact"}
    assert not ({g.article for g in dev if g.article} & {g.article for g in held if g.article})
    english = [g for g in dev + held if g.question.split()[0] in ("Which", "What", "Why", "How", "Did", "Summarize")]
    assert len(english) >= 8
