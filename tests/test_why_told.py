"""A why/how answer finds the sentence that writes the question's event with its cause or manner,
however low the evidence ranker scores it (a pronoun, a source opening it)."""
from __future__ import annotations

from rag.shaped.corpus import Sent
from tests.test_shaped_units import _OneArticle

TEXT = ("Des astronomes ont annoncé une nouvelle planète naine. Elle ferait 530 km de diamètre. "
        "Son orbite n'est pas encore clairement définie. "
        "Selon un professeur du Michigan, elle a été découverte grâce à une caméra du télescope Blanco.")


def _ranked(corpus, scores):
    return [Sent("a", x.start, x.end, x.text, sc, x.index) for x, sc in zip(corpus.sents, scores)]


def test_a_low_scored_sentence_writing_the_event_with_its_manner_answers_the_how():
    from rag.shaped import ShapedAnswerer

    corpus = _OneArticle(TEXT)
    ranked = _ranked(corpus, (0.9, 0.8, 0.7, 0.3))  # the last is below the pool's share of the best
    text_out, cites, surface = ShapedAnswerer(corpus=corpus).reason(
        "manner", "Comment la planète naine a-t-elle été découverte ?", [], ranked, False)
    assert surface and surface.startswith("grâce à une caméra")
    assert cites.items[0].quote.startswith("Selon un professeur")


def test_only_the_sentences_writing_the_event_with_a_connective_join_the_candidates():
    from rag.shaped import ShapedAnswerer

    corpus = _OneArticle(TEXT)
    ranked = _ranked(corpus, (0.9, 0.8, 0.7, 0.3))
    shaped = ShapedAnswerer(corpus=corpus)
    told = shaped.told_with_reason("Comment la planète naine a-t-elle été découverte ?", ranked, ranked[:3], True, False)
    assert [x.index for x in told] == [3]
    # a question whose event no sentence writes takes none
    assert shaped.told_with_reason("Comment la planète naine a-t-elle été baptisée ?", ranked, ranked[:3], True,
                                   False) == []
