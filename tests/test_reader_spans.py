"""Pure parts of the reader path: windows and targets, span decoding, span clean-up, answer choice."""
from __future__ import annotations

import numpy as np
import pytest

from depeche.types import Chunk, Hit
from rag.read_answer import Found, _strip, dated, distinct, sentence_span
from rag.reader_encoding import Window, best_spans, encode, token_targets


class FakeTokenizer:
    """Whitespace 'tokenizer' with offsets, shaped like tokenizers.Tokenizer for encode()."""

    class Enc:
        def __init__(self, text):
            import re

            self.offsets = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
            self.ids = [10 + i for i in range(len(self.offsets))]

    def encode(self, text, add_special_tokens=False):
        return self.Enc(text)

    def token_to_id(self, tok):
        return {"<s>": 0, "</s>": 2}[tok]


def test_a_long_passage_is_cut_into_overlapping_windows_that_cover_it():
    passage = " ".join(f"w{i}" for i in range(100))
    wins = encode(FakeTokenizer(), "q1 q2", [passage], max_len=40, stride=10)
    assert len(wins) > 2
    covered = {o for w in wins for o in w.offsets}
    assert len(covered) == 100
    assert all(len(w.ids) <= 40 for w in wins)
    assert wins[0].ids[:5] == (0, 10, 11, 2, 2)  # <s> question </s></s>


def test_targets_point_at_the_answer_tokens_or_at_no_answer():
    passage = "Le défilé a eu lieu à Pékin mercredi ."
    w = encode(FakeTokenizer(), "Où ?", [passage])[0]
    a = passage.index("Pékin")
    s, e = token_targets(w, a, a + len("Pékin"))
    assert passage[w.offsets[s - w.first][0]:w.offsets[e - w.first][1]] == "Pékin"
    assert token_targets(w, -1, -1) == (0, 0)


def test_best_spans_prefers_the_highest_start_plus_end_and_reports_the_margin_over_no_answer():
    w = Window(0, (0, 5, 2, 2, 10, 11, 12, 2), 4, ((0, 2), (3, 8), (9, 14)))
    start = np.array([1.0, 0, 0, 0, 0.0, 5.0, 0.0, 0])
    end = np.array([1.0, 0, 0, 0, 0.0, 0.0, 4.0, 0])
    best = best_spans(w, start, end, top=2)[0]
    assert (best.start, best.end) == (3, 14)
    assert best.score == pytest.approx(9.0 - 2.0)


def test_span_is_made_of_whole_words_without_trailing_punctuation():
    text = "dans la capitale chinoise. En 52 av. J.-C. vint César."
    s, e = _strip(text, 4, 24)
    assert text[s:e] == "la capitale chinoise"
    i = text.index("J.-C.")
    s, e = _strip(text, i, i + 5)
    assert text[s:e] == "J.-C."


def test_sentence_span_covers_the_sentences_holding_the_answer():
    text = "Première phrase. Xi Jinping a rencontré Kim Jong Un à Pékin. Dernière phrase."
    a = text.index("Pékin")
    s, e = sentence_span(text, a, a + 5)
    assert text[s:e] == "Xi Jinping a rencontré Kim Jong Un à Pékin."


def _found(text, score):
    c = Chunk("c", "a", "t", None, None, None, 0, 100, "x" * 100)
    return Found(Hit(c, 1.0), 0, 0, len(text), text, score)


def test_distinct_answers_are_given_when_nearly_as_strong_and_not_repeated():
    found = [_found("Donald Trump", 5.0), _found("Trump", 4.9), _found("Kaja Kallas", 4.5), _found("Guo", -3.0)]
    got = [f.text for f in distinct(found, threshold=0.0, plural=False)]
    assert got == ["Donald Trump", "Kaja Kallas"]
    assert distinct(found, threshold=6.0, plural=False) == []


def test_a_weekday_answer_is_dated_from_the_article():
    assert dated("jeudi", "2025-09-04", False) == "jeudi 4 septembre 2025"
    assert dated("Xi Jinping", "2025-09-04", False) == "Xi Jinping"
    assert dated("jeudi", None, False) == "jeudi"


def test_an_english_question_is_scored_against_its_own_cosine_centre(monkeypatch):
    from rag import tuned
    from rag.read_answer import combine

    monkeypatch.setattr(tuned, "DENSE_CENTRE_EN", tuned.DENSE_CENTRE - 0.05)
    fr = combine(1.0, 0.5, 0, dense=0.78)
    en = combine(1.0, 0.5, 0, dense=0.78, english=True)
    assert en - fr == pytest.approx(tuned.DENSE_WEIGHT * 0.05)
    assert combine(1.0, 0.5, 0) == combine(1.0, 0.5, 0, english=True)  # no cosine known: no shift


class CountingReader:
    """Reads like the real one: a passage holding "ANSWER" gives a span there with this margin."""

    def __init__(self, margin: float):
        self.margin, self.batches = margin, []

    def read(self, question, passages):
        from rag.reader_encoding import SpanGuess

        self.batches.append(len(passages))
        return [SpanGuess(i, p.index("ANSWER"), p.index("ANSWER") + 6, self.margin, self.margin)
                for i, p in enumerate(passages) if "ANSWER" in p]


def _hits(n, answer_at):
    out = []
    for i in range(n):
        text = f"Passage {i} holds the ANSWER here." if i in answer_at else f"Passage {i} says nothing."
        out.append(Hit(Chunk(f"c{i}", f"a{i}", "t", None, None, None, 0, len(text), text), 1.0 - i / 10))
    return out


def test_a_strong_span_in_the_first_passage_spares_reading_the_others():
    from rag.question import Question
    from rag.read_answer import find_spans

    strong = CountingReader(margin=9.0)
    found = find_spans(strong, Question.of("Qui a parlé ?"), _hits(5, {0, 3}), 5, first=1, enough=6.0)
    assert strong.batches == [1] and found[0].hit.chunk.id == "c0"
    weak = CountingReader(margin=2.0)
    found = find_spans(weak, Question.of("Qui a parlé ?"), _hits(5, {0, 3}), 5, first=1, enough=6.0)
    assert weak.batches == [1, 4]
    assert [f.hit.chunk.id for f in found] == ["c0", "c3"] and found[1].rank == 3


def test_a_question_asking_for_several_things_reads_every_passage():
    from rag.question import Question
    from rag.read_answer import find_spans

    strong = CountingReader(margin=9.0)
    find_spans(strong, Question.of("Quels dirigeants ont parlé ?"), _hits(5, {0, 3}), 5, first=1, enough=6.0)
    assert strong.batches == [5]


def test_a_span_in_a_photo_caption_is_no_answer():
    from rag.read_answer import in_caption

    text = ("Les deux hommes avaient assisté mercredi, dans la capitale chinoise, au défilé militaire.\n\n"
            "Le président américain Donald Trump dans le Bureau ovale de la Maison Blanche, le 3 septembre 2025 "
            "à Washington AFP\n\nLa Chine a rejeté ces propos.")
    assert in_caption(text, text.index("Bureau ovale"), text.index("Bureau ovale") + 12)
    assert not in_caption(text, text.index("capitale"), text.index("capitale") + 8)
    assert not in_caption(text, text.index("rejeté"), text.index("rejeté") + 6)  # the last paragraph
