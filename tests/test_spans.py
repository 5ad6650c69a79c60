"""Short answers inside a sentence, relative days, the answer text and the citation check."""
from __future__ import annotations

import datetime as dt

import pytest

from depeche.types import Chunk, Citation
from rag.answer_types import detect, question_words
from rag.citations import check, make_citation
from rag.compose import Claim, compose, excerpt
from rag.spans import extract, render_date, resolve_day


def spans(question: str, sentence: str, date: str | None = "2025-09-04"):
    return extract(sentence, detect(question), question_words(question), date)


# ---- numbers, money, percentages ------------------------------------------------------------------
def test_count_with_its_unit_is_preferred_over_a_year():
    s = "Un coup dur pour les 235 salariés de l'entreprise, présente depuis 1973."
    best = spans("Combien d'emplois la fermeture supprime-t-elle ?", s)[0]
    assert best.text == "235 salariés"


def test_french_thousands_separator_keeps_the_whole_number():
    s = "Il s'agit de 407 625 hectares situés en Patagonie."
    assert spans("Combien d'hectares le Chili a-t-il reçus ?", s)[0].text == "407 625 hectares"


def test_money_with_scale_and_currency():
    s = "Adobe rachète Magento pour un montant total de 1,68 milliards de dollars US."
    assert spans("Pour combien Adobe rachète-t-il Magento ?", s)[0].text == "1,68 milliards de dollars US"


def test_percentage():
    s = "Le budget prévoit la baisse de l'impôt sur les sociétés de 33,3 % à 28 %."
    found = [x.text for x in spans("Quel est le taux de l'impôt sur les sociétés ?", s)]
    assert found[:2] == ["33,3 %", "28 %"] or set(found[:2]) == {"33,3 %", "28 %"}


def test_numbers_named_in_the_question_are_not_the_answer():
    s = "En 2017, 39 pays sur 54 ont voté pour."
    texts = [x.text for x in spans("Combien de pays ont voté en 2017 ?", s)]
    assert texts[0].startswith("39") and "2017" not in texts


# ---- dates and days --------------------------------------------------------------------------------
def test_weekday_resolves_to_the_latest_such_day_before_the_dispatch():
    assert resolve_day("mardi", "2025-09-04") == dt.date(2025, 9, 2)
    assert resolve_day("jeudi", "2025-09-04") == dt.date(2025, 9, 4)  # the dispatch's own day
    assert resolve_day("jeudi dernier", "2025-09-04") == dt.date(2025, 8, 28)
    assert resolve_day("lundi prochain", "2025-09-04") == dt.date(2025, 9, 8)
    assert resolve_day("hier", "2025-09-04") == dt.date(2025, 9, 3)
    assert resolve_day("mardi", None) is None


def test_a_future_verb_points_the_weekday_forward():
    s = "Le président se rendra lundi à Berlin."
    best = spans("Quel jour le président ira-t-il à Berlin ?", s)[0]
    assert best.text == "lundi" and best.answer == "lundi 8 septembre 2025"


def test_quel_jour_gives_the_day_and_its_date():
    s = "Kim Jong Un est arrivé mardi à Pékin et effectue actuellement une rare visite hors de son pays."
    best = spans("Quel jour Kim Jong Un est-il arrivé à Pékin ?", s)[0]
    assert (best.text, best.answer) == ("mardi", "mardi 2 septembre 2025")
    assert s[best.start:best.end] == "mardi"


def test_english_question_gets_an_english_date():
    s = "Kim Jong Un est arrivé mardi à Pékin."
    best = spans("What day did Kim Jong Un arrive in Beijing?", s)[0]
    assert best.answer.startswith("Tuesday 2 September 2025")


def test_year_question_takes_the_year():
    s = "L'usine Tupperware était présente dans la commune depuis 1973."
    assert spans("Depuis quelle année l'usine était-elle présente ?", s)[0].text == "1973"


@pytest.mark.parametrize("sentence, answer", [
    ("Réalisée dans la seconde moitié du XIe siècle, la broderie représente la bataille d'Hastings.", "XIe siècle"),
    ("La ville fut fondée au IIIe siècle av. J.-C. par des colons grecs.", "IIIe siècle av. J.-C."),
    ("Le programme s'est arrêté dans les années 1960.", "années 1960"),
])
def test_centuries_and_decades_answer_when_questions(sentence, answer):
    assert spans("Quand a-t-elle été réalisée ?", sentence)[0].text == answer


def test_full_dates_are_rendered_in_french():
    assert render_date(dt.date(2017, 9, 1)) == "vendredi 1er septembre 2017"
    assert render_date(dt.date(2017, 9, 1), english=True, weekday=False) == "1 September 2017"


# ---- people and organisations (spaCy) --------------------------------------------------------------------
@pytest.mark.model
def test_agent_of_the_verb_is_preferred_over_the_one_it_acts_on():
    s = "Le président chinois Xi Jinping a rencontré jeudi à Pékin le dirigeant nord-coréen Kim Jong Un."
    found = spans("Qui a rencontré le dirigeant nord-coréen ?", s)
    assert found[0].text == "Xi Jinping"


@pytest.mark.model
def test_entities_named_in_the_question_are_not_its_answer():
    s = "Le président chinois Xi Jinping a rencontré jeudi à Pékin le dirigeant nord-coréen Kim Jong Un."
    texts = [x.text for x in spans("Qui a rencontré Kim Jong Un ?", s)]
    assert texts[0] == "Xi Jinping" and not any("Kim" in t for t in texts)


@pytest.mark.model
def test_quoted_speaker_is_found_after_the_speech_verb():
    s = "« L'accès à l'information est un droit fondamental », a déclaré Jimmy Wales, fondateur de Wikipédia."
    assert spans("Qui a défendu l'accès à l'information ?", s)[0].text == "Jimmy Wales"


@pytest.mark.model
def test_name_split_by_the_tagger_is_completed():
    s = "Kim Jong Un est arrivé mardi à Pékin."
    texts = [x.text for x in spans("Qui est arrivé à Pékin ?", s)]
    assert "Kim Jong Un" in texts


# ---- answer text -------------------------------------------------------------------------------------------
def _chunk(text: str) -> Chunk:
    return Chunk(id="a:0", article_id="a", title="T", date="2025-09-04", url=None, path=None, start=0,
                 end=len(text), text=text)


def test_excerpt_keeps_the_answer_and_marks_cuts():
    q = "mot " * 60 + "Donald Trump a réagi " + "suite " * 60
    at = q.index("Donald Trump")
    ex = excerpt(q, at, len("Donald Trump"), 120)
    assert "Donald Trump" in ex and ex.startswith("…") and ex.endswith("…") and len(ex) <= 122


def test_composed_answer_stays_short_and_numbers_each_claim():
    article = ("La rencontre a piqué au vif le président américain Donald Trump. " * 3 +
               "La cheffe de la diplomatie européenne, Kaja Kallas, a décrit cette rencontre comme un défi direct "
               "au système international basé sur des règles, et bien d'autres choses encore très longues.")
    c = _chunk(article)
    s1 = article.index("La rencontre"), article.index("Trump.") + 6
    s2 = article.index("La cheffe"), len(article)
    cit1 = make_citation(1, c, *s1, article[s1[0]:s1[1]], 0.9)
    cit2 = make_citation(2, c, *s2, article[s2[0]:s2[1]], 0.8)
    text = compose([Claim(cit1, "Donald Trump", "Donald Trump", cit1.quote.index("Donald")),
                    Claim(cit2, "Kaja Kallas", "Kaja Kallas", cit2.quote.index("Kaja"))])
    assert text.startswith("Donald Trump") and "[1]" in text and "[2]" in text
    assert "Kaja Kallas" in text and len(text) <= 300


def test_abstention_text_in_both_languages():
    assert compose([]) == "Je ne trouve pas cette information dans le corpus."
    assert compose([], english=True) == "I cannot find this information in the corpus."


# ---- citation check ---------------------------------------------------------------------------------------------
def test_citation_check_requires_verbatim_offsets_and_the_answer_in_the_quote():
    article = "Kim Jong Un est arrivé mardi à Pékin. Il s'agit de son premier déplacement."
    c = _chunk(article)
    good = make_citation(1, c, 0, 37, article[0:37], 1.0)
    assert check(good, article, "mardi")
    assert not check(good, article, "mercredi")  # the quote does not hold the answer
    shifted = Citation(**{**good.__dict__, "start": 1, "end": 38})
    assert not check(shifted, article, "mardi")  # offsets no longer give the quote
    outside = Citation(**{**good.__dict__, "start": 0, "end": len(article) + 5})
    assert not check(outside, article, "mardi")
