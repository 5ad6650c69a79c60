"""A why or how question about an event no article states is refused (rag/shaped/event.py)."""
from __future__ import annotations

import pytest

from index.french import tokenize
from rag.shaped.event import english_verb, event_of, states


@pytest.mark.parametrize("question,verb", [
    ("How did Eric Chu react to his party's victory?", "react"),
    ("Why did the police arrest him?", "arrest"),
    ("Why did King Mswati III abdicate?", "abdicate"),
    ("Why did Nissan say in November that it would propose his removal?", "propose"),
    ("Why was the Lagos marathon cancelled in 2018?", "cancelled"),
    ("Why were the GM&S workers of La Souterraine still demonstrating when Macron came?", "demonstrating"),
])
def test_the_verb_of_an_english_why_question_is_read_after_its_auxiliary(question, verb):
    assert english_verb(question) == verb


def test_an_event_stated_by_its_noun_is_stated():
    events = event_of("How did China react to the remarks?", english=True)
    assert states(events, set(tokenize("La réaction de Pékin a été immédiate.")))
    assert not states(events, set(tokenize("Le président est arrivé mardi à Pékin.")))


def test_an_english_verb_the_glossary_does_not_know_checks_nothing():
    assert event_of("Why did King Mswati III abdicate?", english=True) == []
    assert states([], set())


@pytest.mark.model
@pytest.mark.parametrize("question", ["Pourquoi Kim Jong Un a-t-il démissionné ?", "Why did Kim Jong Un resign?"])
def test_a_why_question_about_an_event_no_article_states_is_refused(corpus_engine, question):
    answer = corpus_engine.ask(question)
    assert answer.abstained and not answer.citations

