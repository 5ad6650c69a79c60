"""A yes/no question putting one name in focus hides a who/what question (rag/shaped/focus.py)."""
from __future__ import annotations

import pytest

from rag.shaped.focus import focus_question, names_the_focus, subject_question


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


@pytest.mark.parametrize("question, subject, hidden", [
    ("Marine Le Pen a-t-elle quitté le Front national en 2017 ?", "Marine Le Pen", "Qui a quitté le Front national en 2017 ?"),
    ("En 2017, Le Pen a-t-elle quitté le FN ?", "Le Pen", "Qui a quitté le FN ?"),
    ("Est-ce que Marine Le Pen a quitté le FN ?", "Marine Le Pen", "Qui a quitté le FN ?"),
    ("La Chine a-t-elle condamné le tir ?", "La Chine", "Qui a condamné le tir ?"),
    ("Bonjour, Kim Jong Un avait-il remercié Poutine ?", "Kim Jong Un", "Qui avait remercié Poutine ?"),
])
def test_a_past_yes_no_names_its_subject_and_the_deed(question, subject, hidden):
    assert subject_question(question, False) == (subject, hidden)


@pytest.mark.parametrize("question, subject, hidden", [
    ("Did Marine Le Pen leave the National Front in 2017?", "Marine Le Pen", "Who leave the National Front in 2017?"),
    ("In 2017, has Kim Jong Un thanked Vladimir Putin?", "Kim Jong Un", "Who thanked Vladimir Putin?"),
])
def test_an_english_yes_no_names_its_subject_and_the_deed(question, subject, hidden):
    assert subject_question(question, True) == (subject, hidden)


@pytest.mark.parametrize("question, english", [
    ("Macron a-t-il été élu ?", False),  # a passive: the subject did not do it
    ("Le président a-t-il démissionné ?", False),  # a role, not a name
    ("Est-ce bien Le Pen qui a quitté le FN ?", False),  # focus_question's
    ("Trump assiste-t-il au défilé ?", False),  # not in the past
    ("Is Le Pen leaving the party?", True),
    ("Has Le Pen been elected?", True),
    ("Did the minister resign?", True),
])
def test_no_subject_to_check_in_other_yes_no_forms(question, english):
    assert subject_question(question, english) is None


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


def test_the_probe_also_asks_the_subject_form_and_names_from_the_answers_sentence():
    from depeche.types import Article
    from eval.focus_probe import probes
    from eval.gold import GoldItem
    from eval.splits import split_of

    title = next(f"Article {i}" for i in range(1000) if split_of(f"Article {i}") == "heldout")
    art = Article("a1", title, "Jacques Anquetil a remporté le Tour devant Raymond Poulidor. Louison Bobet applaudit.")
    items = [GoldItem("q1", "Qui a remporté le Tour ?", ("Jacques Anquetil",), article="a1"),
             GoldItem("q2", "Qui remporte le Giro ?", ("Jacques Anquetil",), article="a1")]  # no auxiliary: left out
    got = probes(items, [art], "heldout", form="inverted", near=True)
    assert got == [("right", "Jacques Anquetil a-t-il remporté le Tour ?"),
                   ("other", "Raymond Poulidor a-t-il remporté le Tour ?")]  # not Bobet, of another sentence
    english = [GoldItem("q1", "Who has won the Tour?", ("Jacques Anquetil",), article="a1")]
    assert probes(english, [art], "heldout", form="inverted")[0] == ("right", "Has Jacques Anquetil won the Tour?")


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


@pytest.mark.model
def test_a_verb_of_the_same_meaning_is_checked_for_its_doer_too():
    from rag.shaped.focus import does_the_deed

    sentence = ("Il accompagne Anquetil, qui a remporté le Giro et a pour principal adversaire Raymond Poulidor, "
                "lauréat du Tour d'Espagne.")
    group = {"gagn", "rempor", "remport"}  # "gagne" / "remporté": rag/shaped/predicate.predicate's group
    assert not does_the_deed("Raymond Poulidor", "Qui gagne ?", sentence, group)
    assert does_the_deed("Anquetil", "Qui gagne ?", sentence, group)


@pytest.mark.model
def test_a_threat_or_a_plan_is_no_deed_done():
    from rag.shaped.focus import does_the_deed, only_intended

    threat = "L'opérateur Orange a, à son tour, menacé de couper le signal des chaînes gratuites diffusées par TF1."
    assert only_intended(threat, {"coup"})
    assert not does_the_deed("Orange", "Qui a coupé le signal de TF1 ?", threat)
    assert not does_the_deed("le préfet", "Qui a interdit la manifestation ?", "Le préfet veut interdire la manifestation.")
    done = "Canal+ a coupé jeudi le signal des chaînes de TF1."
    assert not only_intended(done, {"coup"}) and does_the_deed("Canal+", "Qui a coupé le signal ?", done)
    assert does_the_deed("Orange", "Qui va couper le signal ?", threat)  # a plan asked about: no check
    assert not only_intended("Jacques Anquetil devient le premier coureur à remporter cinq Tours de France.", {"rempor"})


@pytest.mark.model
def test_those_having_done_it_are_the_noun_the_participle_qualifies():
    from rag.shaped.focus import does_the_deed

    sentence = ("Le cabinet Trump reproche aux médias de sous-estimer le nombre de personnes ayant assisté aux "
                "cérémonies.")
    assert not does_the_deed("Trump", "Qui a assisté au défilé ?", sentence)
    assert does_the_deed("Donald Trump", "Qui a assisté au défilé ?", "Donald Trump, ayant assisté au défilé, a réagi.")


def test_a_deciding_sentence_may_leave_the_place_to_its_articles_lead():
    from rag.shaped.corpus import Sent
    from rag.shaped.said import deciding

    s = Sent("a", 100, 190, "Le chauffeur du minibus et celui du camion ont été tous les deux placés en garde à vue.", 0.9)
    lead = {"accident", "rochefort", "minibus"}
    q = "Les chauffeurs ont-ils été placés en garde à vue après l'accident de Rochefort ?"
    args = dict(names={"rochefort"}, predicate={"plac"}, strict={"plac"})
    assert deciding(q, [s], **args)[0] == "unsaid"  # without the article's lead, Rochefort is missing
    assert deciding(q, [s], **args, subject={"chauffeur"}, context=lambda aid: lead)[0] == "yes"
    other = Sent("b", 0, 80, "Simonotti demande l'aide du président de la FIGC, Leandro Arpinati.", 0.9)
    assert deciding("Leandro Arpinati était-il président de l'Inter ?", [other], names={"leandro", "arpinati", "inter"},
                    predicate={"president"}, subject={"leandro", "arpinati"},
                    context=lambda aid: {"inter"})[0] == "unsaid"  # the sentence is about the FIGC
    far = Sent("c", 0, 110, "Devant ses supporters à New York, il a annoncé avoir parlé au téléphone à Hillary Clinton, "
                            "qui l'a félicité pour la victoire.", 0.9)
    assert deciding("Hillary Clinton a-t-elle félicité Donald Trump ?", [far], names={"hillary", "clinton", "donald", "trump"},
                    predicate={"felicit"}, subject={"hillary", "clinton"},
                    context=lambda aid: {"donald", "trump"})[0] == "yes"  # New York is far from the verb


@pytest.mark.parametrize("question, verb", [
    ("Est-ce bien Macron qui a décidé du prêt de la tapisserie ?", {"decid"}),
    ("Est-ce que la police a lancé une enquête ?", {"lanc"}),
    ("Est-ce que les supporters ont été blessés ?", set()),  # a passive: no verb of theirs
    ("Trump assiste-t-il au défilé ?", set()),  # the inversion rule reads this one itself
])
def test_the_verb_of_a_yes_no_the_inversion_rule_misses(question, verb):
    from rag.shaped.yesno import hidden_verb

    assert hidden_verb(question, False) == verb


@pytest.mark.model
def test_a_verb_taken_from_the_question_alone_must_be_the_sentences_verb():
    from rag.shaped.yesno import done_by

    assert done_by("Macron", {"decid"}, "C'est le président Emmanuel Macron qui en a décidé, lors de sa rencontre.")
    assert not done_by("Club", {"entrain"}, "Le premier entraîneur du Club olympique est en 1945 Jean Batmale.")
