"""The reader's short answer in front of a shaped answer: numbering, shared sentences, no repeats."""
from depeche.types import Citation
from rag.answerers import Draft
from rag.lead import lead_with


def _cit(n, start, quote, article="a1"):
    return Citation(n, article, "Titre", "2025-09-04", start, start + len(quote), quote, 1.0)


SHAPED = Draft("Parce qu'il voulait renforcer l'alliance [1].\n\nIl a aussi remercié Kim [2].",
               (_cit(1, 100, "Il est venu pour renforcer l'alliance."), _cit(2, 200, "Il a remercié Kim.")),
               False, None, shape="cause")


def test_the_readers_answer_comes_first_and_the_shaped_markers_follow_it():
    fact = Draft("pour les soldats nord-coréens [1].", (_cit(1, 300, "Merci pour les soldats nord-coréens."),),
                 False, "pour les soldats nord-coréens")
    got = lead_with(fact, SHAPED)
    assert got.text.startswith("pour les soldats nord-coréens [1].\n\n")
    assert "l'alliance [2]" in got.text and "remercié Kim [3]" in got.text
    assert [c.n for c in got.citations] == [1, 2, 3] and got.citations[0].start == 300
    assert got.short_answer == "pour les soldats nord-coréens" and got.shape == "cause"


def test_a_sentence_cited_by_both_keeps_one_number():
    fact = Draft("renforcer l'alliance [1].", (_cit(1, 100, "Il est venu pour renforcer l'alliance."),), False,
                 "renforcer l'alliance militaire")
    got = lead_with(fact, SHAPED)
    assert [c.n for c in got.citations] == [1, 2]
    assert "l'alliance [1]" in got.text.split("\n\n", 1)[1] and "remercié Kim [2]" in got.text


def test_nothing_is_added_when_the_reader_abstains_or_the_shaped_answer_already_says_it():
    assert lead_with(Draft("Je ne trouve pas…", (), True), SHAPED) == SHAPED
    said = lead_with(Draft("remercié Kim [1].", (_cit(1, 200, "Il a remercié Kim."),), False, "remercié Kim"), SHAPED)
    assert said.text == SHAPED.text and said.short_answer == "remercié Kim"


def test_only_the_readers_best_answer_leads_a_shaped_answer():
    fact = Draft("pour les soldats nord-coréens — « … » [1] ; hésiter — « … » [2]",
                 (_cit(1, 300, "Merci pour les soldats nord-coréens."), _cit(2, 400, "L'Ukraine semble hésiter.")),
                 False, "pour les soldats nord-coréens", answers=("pour les soldats nord-coréens", "hésiter"))
    got = lead_with(fact, SHAPED)
    assert got.text.startswith("pour les soldats nord-coréens — « Merci pour les soldats nord-coréens. » [1]\n\n")
    assert "hésiter" not in got.text and [c.start for c in got.citations] == [300, 100, 200]


def test_a_why_answer_is_not_led_by_a_reader_answer_that_gives_no_reason():
    near = Draft("trois chefs de détachement [1].",
                 (_cit(1, 300, "Les soldats étaient encadrés par trois chefs de détachement."),), False,
                 "trois chefs de détachement")
    assert lead_with(near, SHAPED) == SHAPED  # a fact near the event, not its cause
    why = Draft("afin de préparer le brevet [1].",
                (_cit(1, 300, "Ils suivaient un stage afin de préparer le brevet de skieur militaire."),), False,
                "afin de préparer le brevet")
    assert lead_with(why, SHAPED).text.startswith("afin de préparer le brevet")
    named = Draft("la surpopulation [1].", (_cit(1, 300, "La raison principale est la surpopulation."),), False,
                  "la surpopulation")
    assert lead_with(named, SHAPED).text.startswith("la surpopulation")


def test_a_yes_no_answer_is_led_only_by_a_reader_answer_about_what_is_asked():
    yesno = Draft("Le corpus ne le dit pas en ces termes ; les phrases qui en décident : « … » [1]",
                  (_cit(1, 100, "L'OL remporte la finale contre Wolfsburg."),), False, None, shape="yesno")
    other = Draft("le Paris Saint-Germain [1].", (_cit(1, 300, "Francfort avait battu le Paris Saint-Germain."),),
                  False, "le Paris Saint-Germain")
    got = lead_with(other, yesno, "L'Olympique lyonnais a-t-il battu Wolfsburg ?")
    assert got == yesno and got.short_answer is None  # another match's loser is no answer to this one
    on_topic = Draft("collision inévitable [1].", (_cit(1, 300, "Une collision inévitable."),), False,
                     "collision inévitable")
    led = lead_with(on_topic, yesno, "La collision des deux étoiles a-t-elle déjà eu lieu ?")
    assert led.text.startswith("collision inévitable") and led.short_answer == "collision inévitable"


def test_a_reader_answer_running_over_two_sentences_leads_nothing():
    from rag.shaped.text import runs_over_sentences

    span = "950 km de diamètre. 2014 UZ224 pourrait être trop petite"
    fact = Draft(f"{span} [1].", (_cit(1, 300, f"Cérès fait {span}."),), False, span)
    assert lead_with(fact, SHAPED) == SHAPED
    assert not runs_over_sentences("selon M. Dupont, le directeur") and not runs_over_sentences("en 2014")
