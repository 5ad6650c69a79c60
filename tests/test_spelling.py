"""rag/spelling.py: a question typed bare gets its names' capitals and its accents from the passages."""
from __future__ import annotations

from rag.spelling import restore_forms

PASSAGES = [
    "Le président chinois Xi Jinping a rencontré jeudi à Pékin le dirigeant nord-coréen Kim Jong Un. "
    "Xi Jinping a salué le défilé.",
    "Kim Jong Un est arrivé à Pékin. Le défilé militaire a eu lieu place Tiananmen. Où était Kim Jong Un ?",
]


def test_a_question_typed_bare_gets_capitals_and_accents_from_the_passages():
    got = restore_forms("quels dirigeants ont assiste au defile de xi jinping a pekin", PASSAGES)
    assert got == "quels dirigeants ont assiste au défilé de Xi Jinping a Pékin"


def test_words_typed_with_a_capital_or_an_accent_and_short_ambiguous_words_stay_as_typed():
    assert restore_forms("Quels dirigeants ont assisté au défilé ?", PASSAGES) == "Quels dirigeants ont assisté au défilé ?"
    assert restore_forms("kim etait ou", PASSAGES).split()[-1] == "ou"  # "où" or "ou": not guessed
    assert restore_forms("xi jinping a pekin", PASSAGES).split()[2] == "a"  # "à" or "a": not guessed


def test_a_word_the_passages_write_both_ways_or_only_once_stays_as_typed():
    texts = ["Il a vu la Commission. Puis la commission a voté.", "Le tiananmen est cité une fois ici : Tiananmen."]
    assert restore_forms("la commission", texts) == "la commission"
    assert restore_forms("nord-coreen", ["un seul dirigeant nord-coréen"]) == "nord-coreen"
