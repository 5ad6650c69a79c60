"""SQuAD v1 import: articles from contexts with offsets kept, questions as gold items."""
import json

import pytest

from depeche.errors import DepecheError
from eval.squad import load_squad, write_corpus
from index.loaders import load_corpus
from tests.conftest import DATA, need_shared

CTX1 = "La tour Eiffel a été construite par Gustave Eiffel pour l'Exposition universelle de 1889."
CTX2 = "Elle mesure 330 mètres. Gustave Eiffel y avait un appartement."
CTX3 = "Lyon est la troisième ville de France."


def squad_file(tmp_path, data):
    p = tmp_path / "mini-squad.json"
    p.write_text(json.dumps({"version": "1.1", "data": data}, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.fixture
def tiny(tmp_path):
    data = [
        {"title": "Tour_Eiffel", "paragraphs": [
            {"context": CTX1, "qas": [
                {"id": "q1", "question": "Qui a construit la tour Eiffel ?",
                 "answers": [{"text": "Gustave Eiffel", "answer_start": CTX1.index("Gustave")}]}]},
            {"context": CTX2, "qas": [
                {"id": "q2", "question": "Combien  mesure la tour ?",
                 "answers": [{"text": "330 mètres", "answer_start": CTX2.index("330")},
                             {"text": "330 mètres", "answer_start": CTX2.index("330")}]},
                # an answer_start off by two, as PIAF has: moved to the occurrence nearest the offset
                {"id": "q3", "question": "Qui avait un appartement ?",
                 "answers": [{"text": "Gustave Eiffel", "answer_start": CTX2.index("Gustave") - 2}]}]},
        ]},
        {"title": "Lyon", "paragraphs": [
            {"context": CTX3, "qas": [
                {"id": "q4", "question": "Quel rang a Lyon ?",
                 "answers": [{"text": "troisième", "answer_start": CTX3.index("troisième")}]}]}]},
    ]
    return squad_file(tmp_path, data)


def test_one_article_per_squad_article_with_paragraphs_joined_by_blank_lines(tiny):
    articles, items, problems = load_squad(tiny)
    assert problems == []
    assert [a.title for a in articles] == ["Tour Eiffel", "Lyon"]
    assert articles[0].text == CTX1 + "\n\n" + CTX2
    assert len({a.id for a in articles}) == 2


def test_answer_start_maps_into_the_article_text_at_the_paragraph_offset(tiny):
    articles, items, _ = load_squad(tiny)
    text = {a.id: a.text for a in articles}
    by_id = {g.id: g for g in items}
    q2 = by_id["q2"]
    (s, e), = q2.spans  # the duplicate answer collapses into one span
    assert s == len(CTX1) + 2 + CTX2.index("330")
    assert text[q2.article][s:e] == "330 mètres"
    assert q2.answers == ("330 mètres",) and q2.evidence == ("330 mètres",)
    assert q2.question == "Combien mesure la tour ?"


def test_a_slightly_wrong_answer_start_is_moved_to_the_nearest_occurrence(tiny):
    articles, items, _ = load_squad(tiny)
    q3 = {g.id: g for g in items}["q3"]
    (s, e), = q3.spans
    assert s == len(CTX1) + 2 + CTX2.index("Gustave")  # in paragraph 2, not paragraph 1's "Gustave"
    assert articles[0].text[s:e] == "Gustave Eiffel"


def test_questions_point_at_their_own_article(tiny):
    articles, items, _ = load_squad(tiny)
    assert [g.article for g in items] == [articles[0].id] * 3 + [articles[1].id]
    assert all(g.answerable for g in items)


def test_the_written_corpus_reloads_through_the_loaders_with_identical_text(tiny, tmp_path):
    articles, items, _ = load_squad(tiny)
    path = write_corpus(articles, tmp_path / "corpus" / "mini.jsonl")
    loaded, problems = load_corpus([str(path)])
    assert problems == []
    assert [(a.id, a.title, a.text) for a in loaded] == [(a.id, a.title, a.text) for a in articles]
    for g in items:
        text = {a.id: a.text for a in loaded}[g.article]
        assert all(text[s:e] == g.evidence[0] for s, e in g.spans)


def test_unanswerable_v2_questions_become_items_without_answers(tmp_path):
    p = squad_file(tmp_path, [{"title": "Lyon", "paragraphs": [{"context": CTX3, "qas": [
        {"id": "u1", "question": "Qui est maire ?", "answers": [], "is_impossible": True}]}]}])
    _, items, problems = load_squad(p)
    assert problems == [] and items[0].answers == () and not items[0].answerable


def test_bad_entries_are_reported_one_line_each_and_the_rest_is_kept(tmp_path):
    p = squad_file(tmp_path, [
        {"title": "Vide", "paragraphs": [{"context": "   ", "qas": []}]},
        {"title": "Lyon", "paragraphs": [{"context": CTX3, "qas": [
            {"id": "x1", "question": "Qui ?", "answers": [{"text": "Marseille", "answer_start": 0}]},
            {"id": "x2", "question": "", "answers": []},
            {"id": "x3", "question": "Quel rang ?", "answers": [{"text": "troisième", "answer_start": 12}]}]}]},
    ])
    articles, items, problems = load_squad(p)
    assert [a.title for a in articles] == ["Lyon"]
    assert [g.id for g in items] == ["x1", "x3"]
    assert items[0].evidence == () and items[0].spans == ()  # answer not in its context: no evidence
    assert len(problems) == 3 and all("\n" not in p for p in problems)


def test_a_file_that_is_not_squad_is_one_clear_error(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{"questions": []}', encoding="utf-8")
    with pytest.raises(DepecheError, match="not a SQuAD file"):
        load_squad(p)
    p.write_text("{broken", encoding="utf-8")
    with pytest.raises(DepecheError, match="not valid JSON"):
        load_squad(p)


def test_piaf_imports_whole_with_every_span_exact():
    articles, items, problems = load_squad(need_shared(DATA / "piaf-v1.0.json"))
    assert len(articles) == 191 and len(items) == 3835
    text = {a.id: a.text for a in articles}
    assert sum(len(a.text.split("\n\n")) for a in articles) == 761
    assert all(text[g.article][s:e] in g.evidence for g in items for s, e in g.spans)
    assert sum(bool(g.spans) for g in items) >= 3833
    assert len(problems) <= 2


def test_questions_file_replaces_the_texts_and_drops_the_questions_it_lacks(tiny, tmp_path):
    from eval.squad import load_questions, with_questions

    _, items, _ = load_squad(tiny)
    f = tmp_path / "en.jsonl"
    f.write_text('{"id": "q1", "question": "Who built the  Eiffel tower?"}\n\n'
                 '{"id": "q4", "question": "What rank does Lyon hold?"}\n', encoding="utf-8")
    got = with_questions(items, load_questions(f))
    assert [(it.id, it.question) for it in got] == [("q1", "Who built the Eiffel tower?"),
                                                    ("q4", "What rank does Lyon hold?")]
    assert got[0].answers == ("Gustave Eiffel",) and got[0].spans == items[0].spans


def test_a_bad_questions_file_is_one_clear_error_naming_the_line(tmp_path):
    from eval.squad import load_questions

    f = tmp_path / "en.jsonl"
    f.write_text('{"id": "q1", "question": "Who?"}\n{"id": "q2"}\n', encoding="utf-8")
    with pytest.raises(DepecheError, match=r"en.jsonl:2: needs a string \"id\""):
        load_questions(f)
    with pytest.raises(DepecheError, match="does not exist"):
        load_questions(tmp_path / "missing.jsonl")


def test_the_why_questions_of_a_squad_file_are_scored_as_cause_answers(tiny):
    import dataclasses

    from eval.squad import why_questions

    _, items, _ = load_squad(tiny)
    why = dataclasses.replace(items[0], id="w", question="Pourquoi la ville a-t-elle été fondée ?")
    got = why_questions([why, *items])
    assert [g.id for g in got] == ["w"]
    assert got[0].shape == "cause" and got[0].cause == why.answers


def test_why_without_a_squad_file_is_one_clear_error(tmp_path):
    import subprocess
    import sys

    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "a", "question": "Qui ?", "answers": ["x"]}\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "depeche.cli", "eval", str(gold), "--why"],
                         capture_output=True, text=True)
    assert out.returncode != 0 and "--why" in out.stderr and "--squad" in out.stderr
