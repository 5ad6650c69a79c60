"""A yes/no question putting one name in focus hides a who/what question (rag/shaped/focus.py)."""
from __future__ import annotations

import pytest

from rag.shaped.focus import focus_question, names_the_focus


@pytest.mark.parametrize("question, english, focus, hidden", [
    ("Est-ce bien Donald Trump qui a ordonné la frappe ?", False, "Donald Trump", "Qui a ordonné la frappe ?"),
    ("Bonjour ! Est-ce bien Donald Trump qui a ordonné la frappe ?", False, "Donald Trump", "Qui a ordonné la frappe ?"),
    ("C'est le préfet qui a interdit la manifestation ?", False, "le préfet", "Qui a interdit la manifestation ?"),
    ("Est-ce que c'est Lyon qui a gagné le derby ?", False, "Lyon", "Qui a gagné le derby ?"),
    ("C'est un accident qui a emporté l'astrophysicien ?", False, "un accident",
     "Qu'est-ce qui a emporté l'astrophysicien ?"),
    ("D'après le bilan, est-ce l'Espagne qui a la plus grosse capacité ?", False, "l'Espagne",
     "D'après le bilan, qui a la plus grosse capacité ?"),
    ("Was it the Interior minister who ordered the evacuation?", True, "the Interior minister",
     "Who ordered the evacuation?"),
])
def test_the_one_in_focus_and_the_question_it_hides(question, english, focus, hidden):
    assert focus_question(question, english) == (focus, hidden)


@pytest.mark.parametrize("question, english", [
    ("Est-ce vrai que Trump a assisté au défilé ?", False),
    ("Est-ce que Trump a assisté au défilé ?", False),
    ("Est-ce que les joueurs qui ont gagné ont été reçus ?", False),
    ("Trump a-t-il assisté au défilé ?", False),
    ("Is it true that the Louvre will close?", True),
    ("Qui est-ce qui a gagné ?", False),
])
def test_a_plain_yes_no_puts_no_one_in_focus(question, english):
    assert focus_question(question, english) is None


def test_the_focus_must_head_the_readers_answer():
    assert names_the_focus("Donald Trump", "le président américain Donald Trump")
    assert names_the_focus("Trump", "Donald Trump")
    assert not names_the_focus("Le Pen", "Florian Philippot, qui est le numéro deux de Marine Le Pen")
    assert not names_the_focus("l'Espagne", "L'Allemagne")
    assert not names_the_focus("le préfet", "")


def test_the_focus_probe_asks_the_right_name_and_another_of_the_paragraph():
    from depeche.types import Article
    from eval.focus_probe import probes
    from eval.gold import GoldItem
    from eval.splits import split_of

    title = next(f"Article {i}" for i in range(1000) if split_of(f"Article {i}") == "heldout")
    art = Article("a1", title, "Jacques Anquetil gagne le Tour devant Raymond Poulidor. Le public acclame Anquetil.")
    items = [GoldItem("q1", "Qui gagne le Tour ?", ("Jacques Anquetil",), article="a1"),
             GoldItem("q2", "Combien de Tours a-t-il gagnés ?", ("cinq",), article="a1")]
    got = probes(items, [art], "heldout")
    assert got == [("right", "Est-ce bien Jacques Anquetil qui gagne le Tour ?"),
                   ("other", "Est-ce bien Raymond Poulidor qui gagne le Tour ?")]
    assert probes(items, [art], "calib") == []
    english = [GoldItem("q1", "Who wins the Tour?", ("Jacques Anquetil",), article="a1")]
    assert probes(english, [art], "heldout") == [("right", "Was it Jacques Anquetil who wins the Tour?"),
                                                 ("other", "Was it Raymond Poulidor who wins the Tour?")]


@pytest.mark.model
def test_the_one_in_focus_must_be_the_one_who_did_it_not_the_one_it_was_done_to():
    from rag.shaped.focus import does_the_deed

    sentence = "Kim Jong Un s'était entretenu mercredi avec Vladimir Poutine, qui l'a remercié pour l'envoi de troupes."
    assert not does_the_deed("Kim Jong Un", "Qui a remercié Poutine ?", sentence)
    assert does_the_deed("Vladimir Poutine", "Qui a remercié Kim Jong Un ?", sentence)
    # the doer named after the verb, as its agent; what one is, not what one did, is not checked
    assert does_the_deed("USFSA", "Qui a organisé le premier championnat ?",
                         "Le premier championnat est organisé par l'USFSA en 1894.")
    assert does_the_deed("Suning Holdings Group", "Qui est l'actionnaire majoritaire ?",
                         "Le capital est détenu à 70 % par Suning Holdings Group, l'actionnaire majoritaire.")


@pytest.mark.model
def test_a_name_in_a_relative_clause_of_the_subject_did_not_do_it():
    from rag.shaped.focus import does_the_deed

    sentence = ("Florian Philippot, qui est depuis des années le numéro deux du Front national comme le bras droit "
                "de Marine Le Pen, a annoncé ce matin qu'il quitte le parti.")
    hidden = "Qui a quitté le Front national ?"
    assert not does_the_deed("Le Pen", hidden, sentence)
    assert does_the_deed("Florian Philippot", hidden, sentence)  # "il" is the one who announced it
