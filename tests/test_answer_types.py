"""What a question expects (FR and EN), the periods it names, and the French analyser BM25 uses."""
from __future__ import annotations

import pytest

from index.french import fold, tokenize, words
from rag.answer_types import (AGENT, DATE, DAY, MONEY, NUMBER, ORG, OTHER, PERCENT, PERSON, PLACE, YEAR,
                              detect, question_words)
from rag.dates import period_in, widen


# ---- the French analyser -------------------------------------------------------------------------
def test_elisions_are_split_off_so_the_noun_matches_its_bare_form():
    assert words("l'Union d’Europe qu'il jusqu'à") == ["Union", "Europe", "il", "à"]
    assert tokenize("l'armée") == tokenize("armée") == tokenize("Armée")


def test_accents_are_folded_for_matching():
    assert fold("Pékin Égypte çà") == "pekin egypte ca"
    assert tokenize("Pékin") == tokenize("pekin")
    assert tokenize("élection présidentielle") == tokenize("ELECTION PRESIDENTIELLE")


def test_stopwords_are_dropped_and_plurals_share_a_stem():
    assert tokenize("le président et les présidents") == [tokenize("président")[0]] * 2
    assert tokenize("de la du des") == []


def test_numbers_survive_analysis():
    assert "2031" in tokenize("en 2031")


# ---- expected answer types --------------------------------------------------------------------------
@pytest.mark.parametrize("question, kind", [
    ("Qui a critiqué la rencontre ?", AGENT),
    ("Who criticised the meeting?", AGENT),
    ("Quel jour Kim Jong Un est-il arrivé à Pékin ?", DAY),
    ("On what day did Kim Jong Un arrive in Beijing?", DAY),
    ("Quand a eu lieu le défilé ?", DATE),
    ("When did the parade take place?", DATE),
    ("En quelle année l'usine a-t-elle ouvert ?", YEAR),
    ("Depuis quelle année l'usine était-elle présente ?", YEAR),
    ("In which year was it founded?", YEAR),
    ("Combien d'hectares le Chili a-t-il reçus ?", NUMBER),
    ("How many jobs are lost?", NUMBER),
    ("Pour combien Adobe rachète-t-il Magento ?", MONEY),
    ("How much did Adobe pay for Magento?", MONEY),
    ("Quel est le taux de l'impôt sur les sociétés ?", PERCENT),
    ("What percentage voted for him?", PERCENT),
    ("Où se trouve l'usine ?", PLACE),
    ("Where is the factory?", PLACE),
    ("Dans quelle ville a eu lieu le match ?", PLACE),
    ("Quels pays ont critiqué le retour du Maroc ?", PLACE),
    # the English words of the French places ("départements", "communes", "quartiers")
    ("Dans quels départements se trouvent les stations ?", PLACE),
    ("Which departments were placed on red alert?", PLACE),
    ("Which neighbourhoods were flooded?", PLACE),
    ("Quel athlète a remporté le titre ?", PERSON),
    ("Which company is buying Magento?", ORG),
    ("Quelle entreprise rachète Fox ?", ORG),
    ("Pourquoi la BCE supprime-t-elle le billet ?", OTHER),
    ("Qu'est-ce qui termine le déjeuner hongrois ?", OTHER),
])
def test_expected_answer_type(question, kind):
    assert detect(question).kind == kind


def test_english_questions_are_recognised():
    assert detect("Who criticised the meeting?").english
    assert not detect("Qui a critiqué la rencontre ?").english


def test_the_verb_of_qui_a_is_kept_to_prefer_its_agent():
    assert detect("Qui a critiqué la rencontre ?").verb == "critique"
    assert detect("Qui exige que Wikipédia retire des articles ?").verb == "exige"
    t = detect("Qui a été élu président ?")
    assert t.verb == "elu" and t.passive


def test_the_noun_asked_about_is_kept():
    assert detect("Combien d'emplois la fermeture supprime-t-elle ?").focus == "emplois"
    assert detect("Quel est le fondateur de Wikipédia ?").focus == "fondateur"
    assert detect("Qui est la cheffe de la diplomatie européenne ?").focus == "cheffe"


def test_question_words_are_folded():
    assert {"kim", "jong", "un", "pekin"} <= question_words("Quel jour Kim Jong Un est-il arrivé à Pékin ?")


# ---- periods named in questions -----------------------------------------------------------------------
@pytest.mark.parametrize("question, period", [
    ("Qui a quitté le Front national en septembre 2017 ?", ("2017-09-01", "2017-09-30")),
    ("Que s'est-il passé en mars 2017 ?", ("2017-03-01", "2017-03-31")),
    ("Qui a gagné en 2016 ?", ("2016-01-01", "2016-12-31")),
    ("What happened in 2018?", ("2018-01-01", "2018-12-31")),
    ("Que s'est-il passé le 3 septembre 2025 ?", ("2025-09-03", "2025-09-03")),
    ("What happened on March 5, 2017?", ("2017-03-05", "2017-03-05")),
    ("Que s'est-il passé en février 2016 ?", ("2016-02-01", "2016-02-29")),
])
def test_period_named_in_question(question, period):
    assert period_in(question) == period


def test_no_period_when_a_year_only_qualifies_a_noun():
    assert period_in("Quel est le taux visé par le budget 2018 ?") is None
    assert period_in("Qui a critiqué la rencontre ?") is None


def test_a_period_can_be_widened_for_articles_dated_after_the_event():
    assert widen(("2017-09-01", "2017-09-30"), 7) == ("2017-08-25", "2017-10-07")


def test_the_period_a_question_names_boosts_reports_dated_after_it_not_a_month_before():
    from rag.query import question_period
    from rag.retrieve import Filters

    assert question_period("Qui a gagné en novembre 2016 ?", Filters()) == ("2016-10-31", "2016-12-31")
    assert question_period("Qui a gagné ?", Filters()) is None
    assert question_period("Qui a gagné en novembre 2016 ?", Filters(since="2016-01-01")) is None  # explicit filters win


@pytest.mark.parametrize("question, verb", [
    ("Qu'a répondu la Chine ?", "repondu"),
    ("Et qu'a déclaré le porte-parole ?", "declare"),
    ("Que Donald Trump a-t-il écrit ?", "ecrit"),
    ("Qu'est-ce que Macron a annoncé ?", "annonce"),
    ("What did Trump write?", "ecrit"),
    ("Qu'a acheté Disney ?", None),
])
def test_questions_about_what_was_said_keep_the_verb_of_saying(question, verb):
    from rag.answer_types import speech_verb

    assert speech_verb(question) == verb
    if verb:
        assert detect(question).kind == OTHER and detect(question).verb == verb
