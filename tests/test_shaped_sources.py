"""Which sentences and articles a shaped answer may draw on (rag/shaped): a list's items come from
the question's story and, for things, not from the names near them; a cause from any of French's
connectives and explaining turns; a reaction from the one asked about."""
from __future__ import annotations

import pytest

from rag.shaped.corpus import Sent
from rag.shaped.reasons import reasons
from tests.test_shaped_units import sent


@pytest.mark.parametrize("text, cause", [
    ("Le match a été reporté pour cause de neige sur le terrain.", "pour cause de neige sur le terrain"),
    ("Le témoin s'est tu par crainte de représailles.", "par crainte de représailles"),
    ("Le musée ressemble au British Museum dans la mesure où ses salles croisent les civilisations.",
     "dans la mesure où ses salles croisent les civilisations"),
    ("La digue a cédé sous l'effet de la crue.", "sous l'effet de la crue"),
    ("The match was called off for fear of violence.", "for fear of violence"),
    ("En cause : la hausse des naissances, qui devrait durer.", "la hausse des naissances"),
    ("Il faut dire que les deux candidats ont exclu de se retirer.", "les deux candidats ont exclu de se retirer"),
])
def test_every_french_connective_of_cause_gives_its_clause(text, cause):
    assert reasons("Pourquoi ?", [sent(text)])[0].surface == cause


class _Articles:
    """A corpus of a few articles, each one sentence (no index statistics: words weigh alike)."""

    def __init__(self, texts: dict[str, str]) -> None:
        from depeche.types import Article

        self.arts = {aid: Article(aid, aid, text, "2018-01-18") for aid, text in texts.items()}

    def article(self, article_id):
        return self.arts.get(article_id)

    def sentences(self, article_id):
        text = self.arts[article_id].text
        return [Sent(article_id, 0, len(text), text, 0.0, 0)]

    @property
    def scorer(self):
        return self

    def idf(self, stems):  # rarer words weigh more, as with the index's statistics
        import math

        from index.french import tokenize

        docs = [set(tokenize(a.text)) for a in self.arts.values()]
        return {t: math.log(1 + len(docs) / (1 + sum(t in d for d in docs))) for t in stems}


def test_names_from_an_article_of_another_story_are_not_list_items():
    from rag.shaped import ShapedAnswerer

    corpus = _Articles({
        "sandhurst": "Emmanuel Macron a rencontré Theresa May à l'Académie militaire de Sandhurst jeudi.",
        "beyrouth": "Invité par Makhzoumi, François Fillon s'est rendu à Beyrouth pour y rencontrer des dirigeants.",
        "burundi": "Le médiateur doit rencontrer le président au Burundi.",
    })
    ranked = [Sent(a, 0, len(t.text), t.text, sc, 0) for (a, t), sc in zip(corpus.arts.items(), (0.65, 0.5, 0.4))]
    text, cites, first = ShapedAnswerer(corpus=corpus).listed("list", "Quels dirigeants se sont rencontrés à Sandhurst ?",
                                                              [], ranked, False)
    assert "Emmanuel Macron" in text and "Theresa May" in text
    assert "Fillon" not in text and "Makhzoumi" not in text


def test_a_reaction_taken_up_by_ce_dernier_or_in_the_wires_present_is_the_manner():
    from rag.shaped.reasons import ANAPHOR

    q = "Comment le député Frédéric Lefebvre a-t-il réagi à l'évacuation de l'église Sainte-Rita ?"
    named = sent("À l'extérieur, des élus comme Frédéric Lefebvre, député LR, tentaient de faire barrage.", 0.6)
    took_up = sent("Ce dernier en appelle au Pape François « pour sauvegarder ce lieu de culte ».", 0.4, start=90)
    assert reasons(q, [named, took_up], manner=True)[0].sent is took_up
    q = "Comment Arnaud Montebourg a-t-il réagi à son élimination ?"
    event = sent("Arnaud Montebourg et Vincent Peillon sont éliminés avec 18 et 6 % des voix.", 0.6)
    stance = sent("Très peu de temps après l'annonce des résultats, il annonce son soutien à Benoît Hamon.", 0.4, start=80)
    assert reasons(q, [event, stance], manner=True)[0].sent is stance
    assert ANAPHOR.match(stance.text) and ANAPHOR.match(took_up.text) and not ANAPHOR.match(event.text)


def test_a_list_of_things_is_not_made_of_the_names_near_them():
    from rag.shaped import ShapedAnswerer

    corpus = _Articles({"trump": "Donald Trump a proposé la construction d'un mur à la frontière payé par le Mexique."})
    text = corpus.arts["trump"].text
    ranked = [Sent("trump", 0, len(text), text, 0.7, 0)]
    shaped = ShapedAnswerer(corpus=corpus)
    # no list of noun phrases in the sentence: the reader's answers are the items, not "Mexique"
    assert shaped.listed("list", "Quelles propositions spectaculaires Donald Trump a-t-il faites ?", [], ranked,
                         False) is None
    got = shaped.listed("list", "Quels pays Donald Trump a-t-il évoqués dans sa proposition de mur ?", [], ranked, False)
    assert got is not None and "Mexique" in got[0]


def test_elected_officials_and_politicians_are_people_asked_for_by_name():
    from rag.shaped.lists import asks_for_names

    assert asks_for_names("Quels élus ont protesté contre le mur ?")
    assert asks_for_names("Which elected officials voiced concern about the wall?", english=True)
    assert not asks_for_names("Quelles mesures le gouvernement a-t-il annoncées ?")


def test_a_list_of_nicknames_is_read_from_the_quotations_though_they_are_not_names():
    from rag.shaped import ShapedAnswerer

    corpus = _Articles({"bocuse": "Celui qui était surnommé « le pape de la gastronomie » ou encore « Monsieur Paul » "
                                  "est mort ce matin à Collonges-au-Mont-d'Or."})
    text = corpus.arts["bocuse"].text
    got = ShapedAnswerer(corpus=corpus).listed("list", "Quels surnoms donnait-on au chef lyonnais Paul Bocuse ?", [],
                                               [Sent("bocuse", 0, len(text), text, 0.7, 0)], False)
    assert got is not None and "le pape de la gastronomie" in got[0] and "Monsieur Paul" in got[0]
