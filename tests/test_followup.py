"""Follow-up questions become standalone questions carrying the earlier turns' subject (no LLM).

Each behaviour is checked with the capitalised-runs analyser (no model, instant) and with spaCy's
French NER (marked `model`), since the chat uses spaCy when it is installed.
"""
from __future__ import annotations

import pytest

from rag.followup import (context_terms, is_follow_up, regex_analysis, spacy_analysis,
                          standalone_question)

ANALYSERS = [
    pytest.param(regex_analysis, id="regex"),
    pytest.param(spacy_analysis, id="spacy", marks=pytest.mark.model),
]

CRITICISM = ["Qui a critiqué la rencontre ?", "Donald Trump"]


@pytest.fixture(params=ANALYSERS)
def analyse(request):
    return request.param


def rewrite(question, history, analyse):
    return standalone_question(question, history, analyse=analyse)


def test_follow_up_question_resolves_the_person(analyse):
    history = ["Qui Xi Jinping a-t-il rencontré à Pékin ?", "Kim Jong Un"]
    out = rewrite("Quand est-il arrivé ?", history, analyse)
    assert out.startswith("Quand Kim Jong Un est-il arrivé")
    assert "Pékin" in out  # the place of the previous question is carried as context


def test_follow_up_carries_the_previous_topic_and_answer(analyse):
    out = rewrite("Et qu'a répondu la Chine ?", CRITICISM, analyse)
    assert out.startswith("Qu'a répondu la Chine")
    assert "rencontre" in out and "Donald Trump" in out
    assert not out.lower().startswith("et ")


def test_english_it_is_resolved_to_the_previous_topic_and_else_excludes_the_answer(analyse):
    out = rewrite("Who else criticised it?", CRITICISM, analyse)
    assert "criticised la rencontre" in out
    assert "besides Donald Trump" in out
    assert out.endswith("?")


def test_french_d_autre_names_the_previous_answer_as_already_known(analyse):
    out = rewrite("Qui d'autre a critiqué la rencontre ?", CRITICISM, analyse)
    assert "à part Donald Trump" in out


def test_feminine_pronoun_prefers_the_woman_named(analyse):
    history = ["Qui a qualifié la rencontre de défi direct ?",
               "Kaja Kallas, la cheffe de la diplomatie européenne [1]"]
    out = rewrite("Qu'a-t-elle dit ?", history, analyse)
    assert out.startswith("Que Kaja Kallas a-t-elle dit")


def test_plural_pronoun_stands_for_the_two_named_together(analyse):
    history = ["Quels pays ont ratifié l'accord de Paris ?", "La Chine et les États-Unis"]
    out = rewrite("Quand ont-ils ratifié l'accord ?", history, analyse)
    assert "la Chine et les États-Unis ont-ils ratifié" in out


def test_fragment_takes_the_place_of_the_entity_asked_about(analyse):
    history = ["Quel club a recruté Mbappé ?", "Le PSG"]
    assert rewrite("Et Neymar ?", history, analyse) == "Quel club a recruté Neymar ?"


def test_fragment_does_not_replace_part_of_a_name(analyse):
    history = ["Qui a ratifié l'accord de Paris ?", "Les États-Unis"]
    out = rewrite("Et la Chine ?", history, analyse)
    assert "accord de Paris" in out and "la Chine" in out


def test_pronoun_never_resolves_to_someone_the_question_already_names(analyse):
    history = ["Qu'a répondu la Chine (contexte : la rencontre, Donald Trump) ?",
               "Guo Jiakun a rejeté ces propos [1]"]
    out = rewrite("Que lui a répondu Guo Jiakun ?", history, analyse)
    assert out.count("Guo Jiakun") == 1
    assert "Donald Trump" in out


def test_context_survives_several_turns(analyse):
    q2 = rewrite("Et qu'a répondu la Chine ?", CRITICISM, analyse)
    history = CRITICISM + [q2, "Guo Jiakun [1]"]
    out = rewrite("Quand a-t-il réagi ?", history, analyse)
    assert out.startswith("Quand Guo Jiakun a-t-il réagi")
    assert "rencontre" in out


def test_question_with_its_own_subject_is_left_unchanged(analyse):
    q = "Qui a gagné la Coupe de la Ligue de handball ?"
    assert rewrite(q, CRITICISM, analyse) == q


def test_pronoun_repeating_a_named_subject_is_not_a_follow_up(analyse):
    for q in ("Combien le PSG a-t-il payé pour Neymar ?", "Quand Kim Jong Un est-il arrivé à Pékin ?",
              "Pourquoi le festival a-t-il été annulé ?", "Qu'a dit Emmanuel Macron quand il s'est déclaré ?"):
        assert rewrite(q, CRITICISM, analyse) == q


def test_question_word_phrase_before_the_pronoun_is_still_a_follow_up(analyse):
    history = ["Combien le PSG a-t-il payé pour Neymar ?", "222 millions d'euros"]
    assert rewrite("Quel âge a-t-il ?", history, analyse).startswith("Quel âge Neymar a-t-il")


def test_impersonal_il_is_not_taken_for_a_person(analyse):
    for q in ("Qu'y a-t-il dans l'accord de Paris ?", "Combien de morts y a-t-il eu dans les inondations ?"):
        assert rewrite(q, CRITICISM, analyse) == q


def test_bare_why_gets_the_whole_previous_context(analyse):
    out = rewrite("Pourquoi ?", CRITICISM, analyse)
    assert out.startswith("Pourquoi") and "rencontre" in out and "Donald Trump" in out


def test_markers_and_quotation_marks_in_answers_do_not_become_entities():
    history = ["Qui a critiqué la rencontre ?",
               "« La rencontre a piqué au vif le président américain Donald Trump. » [2] Passages [3]"]
    out = standalone_question("Et qu'a répondu la Chine ?", history, analyse=regex_analysis)
    assert "[2]" not in out and "«" not in out and "Passages" not in out
    assert "Donald Trump" in out


def test_without_history_the_question_is_returned_as_typed():
    assert standalone_question("Quand est-il arrivé ?", []) == "Quand est-il arrivé ?"
    assert standalone_question("  Quand   est-il arrivé ?  ", [" "]) == "Quand est-il arrivé ?"


def test_follow_up_cues_are_detected():
    assert is_follow_up("Et qu'a répondu la Chine ?")
    assert is_follow_up("Quand est-il arrivé ?")
    assert is_follow_up("Who else criticised it?")
    assert is_follow_up("What about Neymar?")
    assert not is_follow_up("Qui a critiqué la rencontre entre Xi Jinping et Kim Jong Un ?")
    assert not is_follow_up("Who was elected president of Colombia?")
    assert not is_follow_up("Who did Xi Jinping meet in Beijing?")


def test_context_terms_are_read_back_from_an_earlier_rewrite():
    q = "Qui d'autre a critiqué la rencontre (à part Donald Trump ; contexte : la Chine, Pékin) ?"
    assert context_terms(q) == ["Donald Trump", "la Chine", "Pékin"]


@pytest.mark.model
def test_engine_searches_the_standalone_question_and_reports_it(corpus_engine):
    ans = corpus_engine.ask("Et qu'a répondu la Chine ?", history=CRITICISM)
    assert ans.search_query and ans.search_query.startswith("Qu'a répondu la Chine")
    assert any(h.chunk.article_id == "000_1597ff3a76891786" for h in ans.passages)
    plain = corpus_engine.ask("Qui a critiqué la rencontre ?")
    assert plain.search_query is None


@pytest.mark.model
def test_what_china_replied_quotes_china_not_the_criticism_it_replies_to(corpus_engine):
    ans = corpus_engine.ask("Et qu'a répondu la Chine ?", history=CRITICISM)
    assert not ans.abstained
    quotes = " ".join(c.quote for c in ans.citations)
    assert "sans jamais cibler un tiers" in quotes or "Guo Jiakun a rejeté" in quotes
    assert "piqué au vif" not in quotes


@pytest.mark.model
def test_what_he_wrote_quotes_his_message_not_a_photo_caption(corpus_engine):
    ans = corpus_engine.ask("Qu'a-t-il écrit ?", history=CRITICISM + ["Et qu'a répondu la Chine ?"])
    assert ans.citations and "Veuillez transmettre mes salutations" in ans.citations[0].quote


@pytest.mark.model
def test_a_capitalised_opener_of_a_quoted_answer_is_not_taken_for_a_person():
    history = ["Que Donald Trump a-t-il écrit ?",
               "« \"Veuillez transmettre mes salutations à Vladimir Poutine\", a-t-il écrit. » [1]"]
    for analyse in (regex_analysis, spacy_analysis):
        assert "Veuillez" not in standalone_question("Quand est-il arrivé à Pékin ?", history, analyse=analyse)
