"""The English -> French glossary that gives English questions words to match in French dispatches."""
from __future__ import annotations

from rag.glossary import GLOSSARY, french_verb, to_french


def test_news_words_places_and_nationalities_get_their_french_words():
    got = to_french("What happened in Catalonia since the 2017 independence referendum?").split()
    assert {"Catalogne", "indépendance", "référendum"} <= set(got)
    assert "nationalités" in to_french("What nationalities were the passengers?")
    assert "otages" in to_french("How many hostages were freed?") and "libéré" in to_french("were freed")


def test_unknown_names_are_kept_and_function_words_dropped():
    assert to_french("Did Kim Jong Un meet Xi?").split() == ["Kim", "Jong", "Un", "rencontrer", "Xi"]
    assert french_verb("criticised") == "critiqué" and french_verb("xyzzy") is None


def test_every_entry_has_a_french_word():
    assert all(v and all(w.strip() for w in v) for v in GLOSSARY.values())
