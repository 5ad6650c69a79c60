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


def test_a_name_typed_one_letter_off_is_written_as_the_passages_write_it():
    texts = ["Le PSG a recruté Neymar. Neymar a signé jeudi.", "Les Girondins de Bordeaux ont battu les Girondins B."]
    assert restore_forms("Dans quels clubs Neymr a-t-il joué ?", texts) == "Dans quels clubs Neymar a-t-il joué ?"
    assert restore_forms("les girondis de bordeaux", texts).startswith("les Girondins")
    # two letters off, or near no name the passages write twice: another name, left as typed
    assert restore_forms("Les Jeux de Lagos", ["Les Jeux de Lagny, à Lagny."]) == "Les Jeux de Lagos"
    assert restore_forms("Moreau a parlé", ["Morleau et Moureau, puis Morleau et Moureau."]).split()[0] == "Moreau"
    # a plural is no typo, and a lower-case word of a question typed with capitals is no name
    assert restore_forms("Le projet de loi canadien", ["Les Canadiens et les Canadiens"]) == "Le projet de loi canadien"
    assert restore_forms("Le club de Neymr", ["Neymar et Neymar"]) == "Le club de Neymar"


def test_a_name_one_letter_off_a_name_of_the_articles_is_not_absent():
    from rag.names import absent_names

    assert absent_names("Pourquoi Zelenski a-t-il parlé ?", ["Volodymyr Zelensky a parlé."]) == []
    assert absent_names("Quels pays ont boycotté les Jeux de Lagos ?", ["Les Jeux de Lagny"]) == [("lagos",)]


def test_an_english_question_only_gets_its_names_capitals_back():
    texts = ["En août, la région de Pékin a vu Xi Jinping. Xi Jinping et la région."]
    got = restore_forms("what did xi jinping say in the region in August", texts, english=True)
    assert got == "what did Xi Jinping say in the region in August"


def test_a_question_typed_with_accents_keeps_its_unaccented_words():
    texts = ["Xi Jinping a rencontré Kim Jong Un. Poutine a rencontré Kim. Il a rencontré Modi.",
             "Kim a rencontré Xi à Pékin. Trump a critiqué. Il a critiqué."]
    # "rencontre" is the noun here: the accent the passages write nearly always is not forced on it...
    assert restore_forms("Qui a critiqué la rencontre ?", texts) == "Qui a critiqué la rencontre ?"
    # ...while a question typed without any accent gets it back, as bare typing does
    assert restore_forms("qui a critique la rencontre", texts) == "qui a critiqué la rencontré"
    # a name keeps getting its capital and accents back
    assert restore_forms("Quels dirigeants sont arrivés à pekin ?", PASSAGES) == "Quels dirigeants sont arrivés à Pékin ?"


def test_a_question_typed_in_capitals_is_read_in_lower_case_with_its_names_capitalised():
    got = restore_forms("QUELS DIRIGEANTS ONT ASSISTÉ AU DÉFILÉ DE XI JINPING ?", PASSAGES)
    assert got == "quels dirigeants ont assisté au défilé de Xi Jinping ?"
    assert restore_forms("Le PSG et l'OM", ["Le PSG et l'OM."]) == "Le PSG et l'OM"  # acronyms alone: no shouting


def test_an_english_word_the_passages_only_write_in_names_stays_as_typed():
    texts = ["New York a voté. La ville de New York et New Day. Le LHC de New Plymouth."]
    got = restore_forms("Why can't the LHC prove the new particle exists?", texts, english=True)
    assert got == "Why can't the LHC prove the new particle exists?"
    assert restore_forms("what did they say in new york", texts, english=True) == "what did they say in New York"
