"""Names in a French question, and whether a sentence (or its article) speaks of them (pure functions).

Two checks keep a lexically close sentence from answering a question about something else:
- a name the question gives ("la Coupe du monde", "Tupperware") that the sentence's article never
  mentions means the article is about something else: "Qui a remporté la Coupe du monde de football
  en 2022 ?" must not be answered by "Neymar s'est engagé … jusqu'en juin 2022";
- for questions whose answer is a number or a time, a sentence that leaves out the question's
  first name (most often its subject) and names something else speaks of another subject: "Combien d'emplois la fermeture de l'usine Tupperware
  supprime-t-elle ?" is not answered by "l'usine Michelin avait déjà supprimé 700 emplois".
English questions are left out: their names are often spelt differently in French ("China", "Chine").
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from index.french import STOPWORDS_FR, fold, strip_elisions, tokenize

_TOKEN = re.compile(r"\w[\w\-]*", re.UNICODE)
# months and days in English: dates, not names (a French article writes them in French); a run of
# names ends at one ("Abu Dhabi March 2016")
_DATE_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# Words that start a question or a clause with a capital without being a name.
_OPENERS = {fold(w) for w in STOPWORDS_FR} | {
    "selon", "dans", "pendant", "lors", "chez", "parmi", "apres", "avant", "depuis", "contre", "vers",
    "pourquoi", "comment", "combien", "quel", "quelle", "quels", "quelles", "qui", "que", "quoi", "ou",
    "quand", "est", "a", "en", "au", "le", "la", "les", "un", "une", "des", "cette", "ce", "il", "elle",
    # a request opening the question ("Résume l'article…", "Retrace la chronologie…")
    "resume", "resumez", "retrace", "retracez", "raconte", "racontez", "decris", "decrivez", "cite", "citez",
    "liste", "listez", "enumere", "enumerez", "nomme", "nommez", "donne", "donnez", "fais", "faites",
    "explique", "expliquez", "chronologie",
    # the same requests left bare once "Pourriez-vous m'…" is taken off ("Expliquer comment…", "Dire qui…")
    "resumer", "retracer", "raconter", "decrire", "citer", "lister", "enumerer", "nommer", "donner", "faire",
    "expliquer", "dire", "indiquer", "preciser", "rappeler", "savoir",
    # a greeting before the question ("Salut, petite question : le rover…")
    "bonjour", "bonsoir", "salut", "coucou", "hello", "hi", "hey", "merci",
    # the head of a nominal question ("Réaction du député… ?", "Raisons de la grève ?", "Bilan de…")
    "reaction", "reactions", "raison", "raisons", "motif", "motifs", "cause", "causes", "origine", "origines",
    "propos", "declaration", "declarations", "paroles", "citation", "citations", "bilan", "historique",
    "contexte", "point", "essentiel", "dates", "etapes", "recap", "liste", "infos", "nouvelles", "ca",
} | _DATE_WORDS  # months and days written in English in a French question are dates, not names
_QUESTION_WORDS = ("pourquoi", "comment", "combien", "quelle", "quelles", "quels", "lequel", "laquelle", "lesquels")
_IMPERATIVE = re.compile(r"-(?:moi|nous|toi|le|la|les|lui|leur)$")


def _opens(word: str) -> bool:
    """The question's first word is no name: a question word (one letter off too: "Pourqoui"), a
    request ("Résume-moi"), the head of a nominal question ("Réaction du député…")."""
    f = fold(word)
    return f in _OPENERS or bool(_IMPERATIVE.search(f)) or any(one_edit(f, q) or swapped(f, q) for q in _QUESTION_WORDS)


def swapped(x: str, y: str) -> bool:
    """``x`` is ``y`` with two neighbouring letters swapped ("pourqoui") (pure)."""
    d = [i for i, (a, b) in enumerate(zip(x, y)) if a != b]
    return len(x) == len(y) and len(d) == 2 and d[1] == d[0] + 1 and x[d[0]] == y[d[1]] and x[d[1]] == y[d[0]]
_OF = ("du", "des", "de")  # "Coupe du monde", "Ligue des champions", "Jeux de la Francophonie"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(strip_elisions(text))


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


# a verb with its pronoun after a hyphen ("Pourriez-vous", "Retrace-moi", "a-t-il"): never a name
_VERB_CLITIC = re.compile(r"-(?:moi|nous|vous|toi|tu|je|lui|leur|il|elle|on|ils|elles)$")


def question_names(question: str) -> list[tuple[str, ...]]:
    """The names a question gives, each as the stems that must occur side by side: the last word of
    a run of capitalised words (the surname of "Emmanuel Macron", who is often just "Macron"; the
    first word of a sentence only when it is not a question word or a request: "…, si ? Retrace-moi
    ceux d'avant"), and whole "Capitalised du/des noun" expressions."""
    names: list[list[str]] = []
    for part in re.split(r"(?<=[?!.])(?<!\b\w\.)\s+(?=\S)", question):  # not after an initial ("Theodor W. Adorno")
        names += _names_of(_tokens(part))
    out = []
    for run in names:
        stems = tuple(tokenize(" ".join(run)))
        if stems and stems not in out:
            out.append(stems)
    return out


def _names_of(toks: list[str]) -> list[list[str]]:
    """The runs of capitalised words of one sentence's tokens that are names (see question_names)."""
    toks = [("verbe" if _VERB_CLITIC.search(fold(w)) else w) for w in toks]  # a lower-case word: it ends a run
    names: list[list[str]] = []
    i = 0
    while i < len(toks):
        w = toks[i]
        if not _is_cap(w) or (i == 0 and _opens(w)) or (fold(w) in _OPENERS and i + 1 < len(toks)
                                                                  and not _is_cap(toks[i + 1])):
            i += 1
            continue
        run = [w]
        first = i == 0
        i += 1
        while i < len(toks) and _is_cap(toks[i]) and fold(toks[i]) not in _DATE_WORDS:  # "Abu Dhabi March 2016"
            run.append(toks[i])
            i += 1
        # "Coupe du monde", "Ligue des champions": one capitalised word then "du/des" + a noun
        if len(run) == 1 and i + 1 < len(toks) and toks[i].lower() in _OF and not _is_cap(toks[i + 1]) \
                and fold(toks[i + 1]) not in _OPENERS and not toks[i + 1].isdigit():
            if not first:  # opening the question, it is the topic's common noun as often ("Fin de l'épidémie
                names.append(run + [toks[i], toks[i + 1]])  # d'Ebola : …", "Crue de la Seine : …"): no sure name
            i += 2
            continue
        names.append(run[-1:] if len(tokenize(run[-1])) else run)
    return names


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """True when the stems ``needle`` occur in this order, side by side, in ``haystack``."""
    n = len(needle)
    if n == 0:
        return True
    first = needle[0]
    for i, t in enumerate(haystack):
        if t == first and tuple(haystack[i:i + n]) == tuple(needle):
            return True
    return False


def missing_names(names: Sequence[tuple[str, ...]], mentions: Callable[[tuple[str, ...]], bool]) -> int:
    """How many of the question's names an article never mentions (``mentions(name)`` says)."""
    return sum(1 for n in names if not mentions(n))


def other_names(sentence: str, names: Sequence[tuple[str, ...]], before: str = "") -> bool:
    """True when the sentence names something (a capitalised word past its first) but not the
    question's first name, most often its subject: "Kim Jong Un est arrivé mardi à Pékin" does not
    say when Poutine arrived in Pékin (later names are often paraphrased: "la capitale chinoise")."""
    if not names or contains(tokenize(f"{before} {sentence}"), names[0]):  # "Le Chili … Il s'agit de …"
        return False
    toks = _tokens(sentence)
    return any(_is_cap(w) and fold(w) not in _OPENERS for w in toks[1:])


def absent_names(question: str, article_texts: Sequence[str],
                 stems: set[str] | None = None) -> list[tuple[str, ...]]:
    """The names of a French question that none of ``article_texts`` mentions: an answer drawn from
    articles that never name "Lagos" does not answer "Quels pays ont boycotté les Jeux de Lagos ?".
    A name counts by its first stem (a run's other words are often paraphrased); acronyms are left
    out, articles often spell them out ("JO": "Jeux olympiques"). English questions: none (their
    names are often spelt differently in French); a nationality ("islandais") counts as a name of its
    country (rag/nationalities.py). ``stems``: the texts' stems, when already read. Pure."""
    from rag.question import is_english

    if is_english(question):
        return absent_english_names(question, article_texts)
    from rag.nationalities import absent_nationalities, question_nationalities

    acronyms = {t for w in _tokens(question) if len(w) > 1 and w.isupper() for t in tokenize(w)}
    names = [n for n in question_names(question) if n[0] not in acronyms]
    # "le gouvernement islandais": a nationality, lowercase in French, counts as a name of its country
    nationalities = question_nationalities(question)
    if not names and not nationalities:
        return []
    if stems is None:
        stems = {t for text in article_texts for t in tokenize(text)}
    return [n for n in names if n[0] not in stems and not misspelt(n[0], stems)] + absent_nationalities(nationalities, stems)


TYPO_MIN = 5  # letters a name's stem needs before one typed letter off is taken for a typo


def one_edit(x: str, y: str) -> bool:
    """``x`` and ``y`` differ by exactly one letter added, dropped or changed (pure)."""
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        return sum(p != q for p, q in zip(x, y)) == 1
    short, long_ = sorted((x, y), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def misspelt(stem: str, stems: set[str]) -> bool:
    """``stem`` is one letter off a stem of ``stems`` ("donba" typed for "donbass", "zelenski" for
    "zelensky"): a typo of a name the articles write, not another name (pure)."""
    return len(stem) >= TYPO_MIN and any(one_edit(stem, s) for s in stems if abs(len(s) - len(stem)) <= 1)


_EN_OPENERS = {"who", "what", "when", "where", "which", "how", "why", "did", "does", "do", "is", "was", "are", "were",
               "the", "a", "an", "in", "on", "of", "at", "to", "for", "and", "or", "i", "summarize", "summarise",
               "give", "list", "name", "tell", "describe", "explain", "according", "since", "after", "before",
               "during", "besides", "apart", "has", "have", "had", "can", "could", "will", "would", "should"} | _DATE_WORDS


def english_names(question: str) -> list[tuple[str, ...]]:
    """The names an English question writes, each as its words of 4 letters or more (runs of
    capitalised words past the question's first word; acronyms, months and days left out) (pure)."""
    toks = _tokens(question)
    names, run = [], []
    for i, w in enumerate(toks + [""]):
        # "Turkish-backed", "Earth-sized": an adjective, not a name
        adjective = "-" in w and w.rsplit("-", 1)[1][:1].islower()
        if i > 0 and _is_cap(w) and w.lower() not in _EN_OPENERS and not (len(w) > 1 and w.isupper()) and not adjective:
            run.append(w)
            continue
        words = tuple(x for x in run if len(x) >= 4)
        if words:
            names.append(words)
        run = []
    return names


def _near(a: str, b: str) -> bool:
    """Two spellings of one name across languages: a shared start of 5 letters, or at most 2 edits
    ("putin" / "poutine", "shiite" / "chiite", "peruvian" / "peruvien") (pure)."""
    if a[:5] == b[:5] and min(len(a), len(b)) >= 5:
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > 2:
            return False
        prev = cur
    return prev[-1] <= 2


def absent_english_names(question: str, article_texts: Sequence[str]) -> list[tuple[str, ...]]:
    """The names of an English question when none of them is written by ``article_texts`` (in
    English, in its French gloss, or in a spelling near either: "Poutine" for "Putin"), else []:
    an answer from articles that never name Peru does not answer "…fined by the Peruvian
    competition authority". English names are often spelt otherwise in French ("Romanian",
    "roumaine"), so one name found is enough (pure)."""
    from rag.glossary import GLOSSARY

    names = english_names(question)
    if not names:
        return []
    words = {fold(w) for text in article_texts for w in _tokens(text) if len(w) >= 3}

    def written(word: str) -> bool:
        forms = {fold(word), *(fold(f) for f in GLOSSARY.get(word.lower(), []))}
        return any(f in words or any(_near(f, w) for w in words) for f in forms)

    if any(written(w) for name in names for w in name):
        return []
    return [tuple(fold(w) for w in name) for name in names]
