"""Answers that are several names: a fact question answered by an enumeration is shown as a list, and
an enumeration's first name or an age beside the names are read right (pure functions)."""
from __future__ import annotations

from depeche.types import Citation
from rag.answerers import Draft
from tests.test_shaped_lists import _items


def _fact(quote: str, answer: str) -> Draft:
    c = Citation(n=1, article_id="a", title="T", date="2016-11-11", start=200, end=200 + len(quote), quote=quote,
                 score=1.0)
    return Draft(f"{answer} — « {quote} » [1]", (c,), False, answer)


def test_a_fact_question_answered_by_three_names_is_shown_as_their_list():
    from rag.shaped.list_drafts import several

    quote = "L'équipe est revenue grâce aux buts de Marc Dupont, Ali Benali et Jean Martin, en seconde période."
    listed = several(_fact(quote, "Marc Dupont, Ali Benali et Jean Martin"), names=True)
    assert listed.shape == "list"
    assert [line.split(" — ")[0].split(" [")[0] for line in listed.text.split("\n")] == [
        "• Marc Dupont", "• Ali Benali", "• Jean Martin"]
    assert listed.short_answer == "Marc Dupont, Ali Benali et Jean Martin"  # the reader's whole answer
    assert [c.n for c in listed.citations] == [1]


def test_a_who_question_answered_by_two_names_is_shown_as_their_list():
    from rag.shaped.list_drafts import several

    quote = "Créée en 1966 par Albert Gassier et René Légier, la foire compte 14 exposants."
    listed = several(_fact(quote, "Albert Gassier et René Légier"), True, "Qui a fondé la foire ?")
    assert [line.split(" — ")[0].split(" [")[0] for line in listed.text.split("\n")] == [
        "• Albert Gassier", "• René Légier"]
    assert listed.short_answer == "Albert Gassier et René Légier"


def test_two_names_stay_one_answer_when_one_is_asked_for_or_they_name_one_body():
    from rag.shaped.list_drafts import several

    quote = "L'Inter détient, ex æquo avec Liverpool et la Juventus, le record de titres remportés."
    assert several(_fact(quote, "Liverpool et la Juventus"), True, "Quelle équipe détenait le record ?") is None
    assert several(_fact(quote, "Liverpool et la Juventus"), True, "Which team held the record?") is None
    assert several(_fact(quote, "Liverpool et la Juventus"), True, "Qui détenait le record ?") is not None
    quote = "L’organisme Racines et Confluences et SN production ont organisé l'événement."
    assert several(_fact(quote, "L’organisme Racines et Confluences"), True, "Qui a organisé la journée ?") is None


def test_one_answer_in_several_words_stays_a_fact():
    from rag.shaped.list_drafts import several

    quote = "Le club, le Milan Cricket and Football Club, refusait les joueurs étrangers."
    assert several(_fact(quote, "le Milan Cricket and Football Club"), names=True) is None  # one name
    quote = "Grâce à des tribunes proches, une forte inclinaison des gradins, un large toit et un écran géant, il est unique."
    assert several(_fact(quote, "une forte inclinaison des gradins, un large toit et un écran géant"), names=False) is None
    quote = "Il a rencontré Xi Jinping à Pékin."
    assert several(_fact(quote, "Xi Jinping"), names=True) is None


def test_the_name_closing_the_words_before_an_enumeration_is_its_first_item():
    t = "Une alerte a été émise pour les îles de Faial, Pico, Sao Jorge et Terceira, dans le centre."
    assert _items(t, "Pico") == ["Faial", "Pico", "Sao Jorge", "Terceira"]
    assert _items(t, "Pico, Sao Jorge et Terceira") == ["Faial", "Pico", "Sao Jorge", "Terceira"]
    # the kind's words before the first name are not its name
    assert _items(t, "îles de Faial, Pico, Sao Jorge et Terceira") == ["Faial", "Pico", "Sao Jorge", "Terceira"]
    # not when the items have their own preposition, or are two joined by "et"
    t = "Un festival du Moyen-Orient, avec des troupes du Liban, d'Iran, d'Israël et de Syrie."
    assert _items(t, "Liban") == ["Liban", "Iran", "Israël", "Syrie"]
    t = "Il est le commandant de l'équipage de Skylab, avec Jack Lousma et Owen Garriot."
    assert _items(t, "Jack Lousma") == ["Jack Lousma", "Owen Garriot"]
    # the reader's span of several names chose where they start when no preposition leads to the name
    t = "L'ancienne Rhodésie est devenue le Zimbabwe, le Nyassaland le Malawi et le Béchouanaland le Botswana."
    assert _items(t, "le Nyassaland le Malawi et le Béchouanaland")[0] == "Nyassaland"


def test_an_age_beside_names_is_no_name():
    from rag.shaped.item_names import named_item

    assert not named_item("97 ans") and not named_item("3 000 euros")
    assert named_item("2014 UZ224") and named_item("Roger Walkowiak")


def test_the_words_opening_a_sentence_are_no_name_but_names_starting_with_an_article_are():
    from rag.shaped.item_names import named_item

    for words in ("En effet", "A ce jour", "Le 10 février", "Deux hommes", "Plusieurs personnalités",
                  "Différentes armes", "Several officials"):
        assert not named_item(words), words
    for name in ("La Haye", "Le Pen", "En Marche", "De Gaulle", "Les Républicains", "The Club", "Le Havre"):
        assert named_item(name), name
