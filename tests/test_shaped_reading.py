"""The trained reader as a sentence scorer for lists, causes and manner (rag/shaped/reading.py)."""
from __future__ import annotations

import numpy as np
import pytest

from depeche.types import Chunk, Hit
from rag.reader_encoding import Window
from rag.shaped.corpus import Sent
from rag.shaped.reading import UNREAD, blended, sentence_margins, span_margin

TEXT = ("L'homme a agressé les militaires du Louvre. "
        "Il a laissé un sac contenant une veste et un téléphone.")
FIRST, SECOND = (0, 42), (43, len(TEXT))


def _read(logits_start, logits_end, offsets):
    from rag.reader import Read

    # ids: <s> q </s> </s> passage... ; the passage starts at index 4
    pad = [0.0] * 4
    w = Window(0, tuple(range(4 + len(offsets))), 4, tuple(offsets))
    return Read(w, np.array(pad + logits_start, dtype=np.float32), np.array(pad + logits_end, dtype=np.float32))


def _sent(span, score, aid="a1"):
    return Sent(aid, span[0], span[1], TEXT[span[0]:span[1]], score)


def _hit(start=0):
    return Hit(Chunk("c1", "a1", "t", "2017-02-04", "", "", start, start + len(TEXT), TEXT), 1.0)


def test_span_margin_is_the_best_span_over_no_answer():
    start, end = np.array([1.0, 5.0, 0.0]), np.array([0.0, 2.0, 3.0])
    assert span_margin(start, end, null=4.0) == pytest.approx(5.0 + 3.0 - 4.0)
    assert span_margin(np.array([]), np.array([]), 0.0) == UNREAD


def test_a_span_counts_only_for_the_sentence_holding_it():
    # four tokens in the first sentence, four in the second; the reader points into the second
    offsets = [(0, 7), (8, 15), (16, 30), (31, 42), (43, 45), (49, 56), (57, 80), (81, len(TEXT))]
    start = [-5, -5, -5, -5, -5, -5, 6.0, -5]
    end = [-5, -5, -5, -5, -5, -5, -5, 6.0]
    r = _read(start, end, offsets)
    r.start[0], r.end[0] = 1.0, 1.0  # "no answer" = 2
    got = sentence_margins([[r]], [_hit()], [_sent(FIRST, 0.7), _sent(SECOND, 0.4)])
    assert got[("a1", SECOND[0])] == pytest.approx(12.0 - 2.0)
    assert got[("a1", FIRST[0])] == pytest.approx(-10.0 - 2.0)


def test_chunk_offsets_map_window_tokens_to_article_offsets():
    shift = 100  # the chunk starts 100 characters into its article
    offsets = [(0, 7), (43, 45)]
    r = _read([0.0, 4.0], [0.0, 4.0], offsets)
    sents = [Sent("a1", shift + SECOND[0], shift + SECOND[1], TEXT[SECOND[0]:], 0.5)]
    got = sentence_margins([[r]], [_hit(shift)], sents)
    assert got[("a1", shift + SECOND[0])] == pytest.approx(8.0)


def test_the_answering_sentence_overtakes_the_one_repeating_the_question():
    repeats, answers = _sent(FIRST, 0.72), _sent(SECOND, 0.41)
    out = blended([repeats, answers], {("a1", FIRST[0]): -12.0, ("a1", SECOND[0]): 6.0})
    assert [s.start for s in out] == [SECOND[0], FIRST[0]]
    assert max(s.score for s in out) <= 0.72  # the scale (shares of the best) stays the same


def test_without_margins_the_order_is_unchanged():
    sents = [_sent(FIRST, 0.72), _sent(SECOND, 0.41)]
    assert blended(sents, {}) == sents


@pytest.mark.model
def test_reader_reads_a_passage_once_per_question():
    from rag.reader import Reader

    r = Reader()
    q = "Qu'a laissé l'homme ?"
    first = r.logits(q, [TEXT])
    calls = []
    real = r._logits
    r._logits = lambda ids, mask: calls.append(1) or real(ids, mask)
    again = r.logits(q, [TEXT, "Une autre phrase sans rapport avec la question posée."])
    assert len(calls) == 1  # only the new passage is read
    assert again[0] is first[0]
    assert r.read(q, [TEXT])[0].score == pytest.approx(Reader().read(q, [TEXT])[0].score, abs=1e-3)


def test_the_reader_does_not_move_the_answer_to_another_story():
    asked = _sent(FIRST, 0.71)  # the article retrieval put first
    other = _sent(SECOND, 0.57, aid="a2")  # last week's competition, whose sentence the reader likes
    out = blended([asked, other], {("a1", FIRST[0]): -12.0, ("a2", SECOND[0]): 6.0})
    assert out[0].article_id == "a1" and out[0].score >= out[1].score
