"""The measurement behind the reader's sentence weights (eval/sentence_ranks.py): pure parts."""
from __future__ import annotations

from eval.sentence_ranks import gold_rank, shares

# the old score prefers the sentence repeating the question; the reader the one answering it
ROWS = [(0.72, -12.0, False), (0.41, 6.0, True), (0.40, -9.0, False)]


def test_old_score_alone_ranks_the_repeating_sentence_first():
    assert gold_rank(ROWS, 0.0, -2.0, 4.0) == 1


def test_reader_and_blend_rank_the_answering_sentence_first():
    assert gold_rank(ROWS, 1.0, -2.0, 4.0) == 0
    assert gold_rank(ROWS, 0.5, -2.0, 4.0) == 0


def test_a_sentence_the_reader_did_not_read_keeps_its_share_of_the_best():
    rows = [(0.72, None, False), (0.41, 6.0, True)]
    assert gold_rank(rows, 0.5, -2.0, 4.0) == 1  # 1.0 (kept) against 0.28 + 0.44


def test_questions_without_a_gold_candidate_are_left_out_of_the_shares():
    assert gold_rank([(0.5, 1.0, False)], 0.5, -2.0, 4.0) is None
    assert shares([0, 2, 5, None]) == {"n": 3, "first": 0.333, "top3": 0.667}
