"""A why or how question about an event no article states, and a quotation question about a speaker
whose words no article gives, are refused (rag/shaped/event.py, rag/shaped/said.theirs)."""
from __future__ import annotations

import pytest

from index.french import tokenize
from rag.shaped.event import english_verb, event_of, states
from rag.shaped.said import asked_speaker, theirs


@pytest.mark.parametrize("question,verb", [
    ("How did Eric Chu react to his party's victory?", "react"),
    ("Why did the police arrest him?", "arrest"),
    ("Why did King Mswati III abdicate?", "abdicate"),
    ("Why did Nissan say in November that it would propose his removal?", "propose"),
    ("Why was the Lagos marathon cancelled in 2018?", "cancelled"),
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


@pytest.mark.parametrize("question,who", [
    ("Qu'a déclaré Bertrand Tavernier à la mort de Michel Galabru ?", "Bertrand Tavernier"),
    ("Qu'a déclaré la reine Élisabeth II sur le nouveau nom du Swaziland ?", "Élisabeth II"),
    ("What did Amir say about Alma's song?", "Amir"),
    ("Qu'a déclaré la ministre de la Culture sur sa mort ?", None),
    ("Et l'entourage de Nkurunziza a dit quoi ?", None),
])
def test_the_speaker_a_quotation_question_asks_about_is_the_name_after_the_verb(question, who):
    assert asked_speaker(question) == who


class _Q:
    def __init__(self, quote):
        self.quote = quote


def test_another_named_persons_words_are_not_the_asked_speakers():
    trump = (("Donald Trump", 0), None, _Q("« Veuillez transmettre mes salutations », a-t-il écrit à l'adresse de Xi Jinping."))
    xi = ((None), None, _Q("« Nous sommes prêts », a affirmé Xi Jinping."))
    shekau = (("Shekau", 0), None, _Q("« Paul Biya, vous mentez », clame-t-il."))
    assert theirs("Xi Jinping", [trump]) == []
    assert theirs("Xi Jinping", [trump, xi]) == [xi]
    assert theirs("Paul Biya", [shekau]) == []


@pytest.mark.model
@pytest.mark.parametrize("question", ["Pourquoi Kim Jong Un a-t-il démissionné ?", "Why did Kim Jong Un resign?"])
def test_a_why_question_about_an_event_no_article_states_is_refused(corpus_engine, question):
    answer = corpus_engine.ask(question)
    assert answer.abstained and not answer.citations


@pytest.mark.model
def test_what_a_person_said_is_not_answered_with_anothers_words(corpus_engine):
    answer = corpus_engine.ask("Qu'a déclaré Xi Jinping sur Donald Trump ?")
    assert answer.abstained and not answer.citations
    said = corpus_engine.ask("Qu'a écrit Donald Trump ?")  # his own words still are
    assert not said.abstained and "Veuillez transmettre" in said.text



@pytest.mark.model
def test_a_named_speaker_the_articles_never_quote_is_not_answered_by_the_fact_reader(corpus_engine):
    answer = corpus_engine.ask("Qu'a déclaré Vincent Luis après la course ?")  # his disappointment, no words
    assert answer.abstained and not answer.citations
    assert "Quand je revois les images" in corpus_engine.ask("Qu'a déclaré Justin Gatlin ?").text
