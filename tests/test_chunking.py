import string

from hypothesis import given, settings, strategies as st

from depeche.types import Article
from index.chunking import approx_tokens, chunk_article
from index.sentences import split_sentences

FRENCH = (
    "M. Guo a réagi jeudi. Le président chinois Xi Jinping (g) et Kim Jong Un à Pékin. "
    "« C'est un défi direct », a déclaré Mme Kallas. La guerre de Corée (1950-1953) est loin. "
    "Il a salué les Etats-Unis d'Amérique. Le taux passe de 33,3 % à 28 %. Dr. Who ? Oui !"
)


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_french_abbreviations_and_numbers_do_not_end_sentences():
    got = sentences(FRENCH)
    assert got[0] == "M. Guo a réagi jeudi."
    assert got[1] == "Le président chinois Xi Jinping (g) et Kim Jong Un à Pékin."
    assert got[2] == "« C'est un défi direct », a déclaré Mme Kallas."
    assert "La guerre de Corée (1950-1953) est loin." in got
    assert "Il a salué les Etats-Unis d'Amérique." in got
    assert "Le taux passe de 33,3 % à 28 %." in got


def test_line_breaks_end_captions_without_full_stop():
    text = "Légende de la photo AFP\n\nLe texte commence ici. Et continue."
    assert sentences(text) == ["Légende de la photo AFP", "Le texte commence ici.", "Et continue."]


def test_quote_closing_after_full_stop_stays_with_its_sentence():
    text = "Il a dit : « Nous partons. » Puis il est parti."
    assert sentences(text) == ["Il a dit : « Nous partons. »", "Puis il est parti."]


def test_chunks_respect_size_and_overlap_by_one_sentence():
    text = " ".join(f"Phrase numéro {i} avec quelques mots de plus pour la taille." for i in range(60))
    chunks = chunk_article(Article(id="a", title="T", text=text), max_tokens=60, overlap=1)
    assert len(chunks) > 3
    assert all(approx_tokens(c.text) <= 60 for c in chunks)
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end  # overlap
        assert sentences(a.text)[-1] == sentences(b.text)[0]


_alphabet = string.ascii_letters + "éèàçôÉ«»'’\".!?…,;:()-  \n\n0123456789"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=3000), st.integers(10, 300), st.integers(0, 2))
def test_chunk_offsets_always_slice_the_article_text_exactly(text, max_tokens, overlap):
    art = Article(id="x", title="Titre", text=text)
    chunks = chunk_article(art, max_tokens=max_tokens, overlap=overlap)
    for c in chunks:
        assert art.text[c.start:c.end] == c.text
        assert c.text.strip() == c.text and c.text
    covered = "".join(text[s:e] for c in chunks for s, e in [(c.start, c.end)])
    # every non-space character of the article is in some chunk
    assert set("".join(text.split())) <= set(covered) or not text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=2000))
def test_sentence_offsets_are_ordered_and_trimmed(text):
    spans = split_sentences(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        last = e


def _approx_tokens_by_piece(text):
    """The estimate as first written (one regex match at a time): the fast one must agree."""
    import math
    import re

    words = punct = 0
    for m in re.finditer(r"\w+|[^\w\s]", text):
        if m.group()[0].isalnum() or m.group()[0] == "_":
            words += 1 + len(m.group()) // 9
        else:
            punct += 1
    return math.ceil(words * 1.3) + punct


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_token_estimate_counts_words_and_punctuation_like_before(text):
    assert approx_tokens(text) == _approx_tokens_by_piece(text)
    assert approx_tokens(FRENCH) == _approx_tokens_by_piece(FRENCH)
