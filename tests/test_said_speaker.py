"""A quotation asked of a named speaker: the speaker read off the question, and whether the answer's
quotations are theirs (pure functions of rag/shaped/said.py)."""
from __future__ import annotations

from rag.shaped.said import asked_speaker, heard


def test_the_speaker_a_question_names_is_read_in_french_and_english():
    assert asked_speaker("Qu'a déclaré Bertrand Tavernier à la mort de Michel Galabru ?") == ["bertrand", "tavernier"]
    assert asked_speaker("Qu'a écrit Donald Trump sur Truth Social ?") == ["donald", "trump"]
    assert asked_speaker("Qu'a déclaré Luc Escoda, du syndicat Alliance, à propos du suspect ?") == ["luc", "escoda"]
    assert asked_speaker("What did Amir say about Alma's song?") == ["amir"]
    assert asked_speaker("What did House Speaker Paul Ryan say about the bill?")[-2:] == ["paul", "ryan"]


def test_no_speaker_is_read_where_the_question_names_none_right_at_its_verb():
    # a title or a common noun first: the name is not read (the check is skipped, not guessed)
    assert asked_speaker("Qu'a déclaré la reine Élisabeth II sur le nouveau nom ?") == []
    assert asked_speaker("What did Mexican president Enrique Peña Nieto say about the wall?") == []
    assert asked_speaker("Qu'a affirmé le Conseil constitutionnel ?") == []
    assert asked_speaker("Qui a déclaré la guerre ?") == []


def test_the_asked_speaker_is_heard_only_when_a_quotation_or_its_speaker_names_them():
    speaker = asked_speaker("Qu'a déclaré Bertrand Tavernier à la mort de Michel Galabru ?")
    assert not heard(speaker, ["", "Sa famille annonce qu'il est décédé « dans son sommeil »."])
    assert heard(speaker, ["Bertrand Tavernier", "« C'était un immense acteur », a dit le cinéaste."])
    assert heard(speaker, ["", "« Un géant s'en va », a réagi Tavernier."])
    assert not heard(["amir"], ["Requiem", "La chanteuse s'est dite « très honorée »."])
    assert not heard(["ali"], ["Le maire d'Alicante a parlé."])  # a word, not a part of one
