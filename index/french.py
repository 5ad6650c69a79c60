"""French analysis for lexical search: elisions split off, accents folded, stopwords dropped,
Snowball French stems (PyStemmer). Pure and cached; used for documents and questions alike."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+", re.UNICODE)
_ELISION = re.compile(r"\b([ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’‘`´](?=\w)", re.IGNORECASE)

STOPWORDS_FR = set(
    """a à au aux avec ce ces cet cette dans de des du elle elles en est et été être eux il ils je
    la le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu
    que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous y c d j l m n s t
    ont avait avaient sera seront était étaient fait faire comme aussi plus très sans sous entre
    dont cela ceci ça lors après avant depuis quand quel quelle quels quelles combien comment
    pourquoi si tout tous toute toutes autre autres ai as avons avez sont suis es sommes êtes
    est-ce a-t-il a-t-elle the of and to in is was for on by with""".split()
)


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Pékin' -> 'pekin'."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_FOLDED_STOP = {fold(w) for w in STOPWORDS_FR}


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("french")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def strip_elisions(text: str) -> str:
    """"l'Union" -> " Union", "qu'il" -> " il" (offsets are not kept)."""
    return _ELISION.sub(" ", text)


def words(text: str) -> list[str]:
    """Surface words with elisions split off ("l'Union" -> "Union")."""
    return _WORD.findall(strip_elisions(text))


@lru_cache(maxsize=500_000)
def _term(word: str) -> str | None:
    """The stem of one surface word, None for a stopword (cached: folding word by word was 70 % of
    the time of a BM25 rebuild; news reuse the same words)."""
    f = fold(word)
    if f in _FOLDED_STOP or (len(f) == 1 and not f.isdigit()):
        return None
    return _stem(f)


def tokenize(text: str) -> list[str]:
    """Stems used for BM25: folded, stopwords removed, Snowball French."""
    return [t for t in map(_term, words(text)) if t is not None]
