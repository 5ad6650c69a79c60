"""A podium read off a race report: "c'était qui le podium de la 11e étape ?", "WTS Leeds, podium
femmes", "who finished top 3", "which athletes won medals".

A race report seldom says "podium" where it gives one: "Le vainqueur de l'étape est Peter Sagan il
est suivi de Christopher Froome et Maciej Bodnar", or over three sentences ("… remporte l'épreuve",
"La seconde place revient à Emma Bilham et la troisième marche du podium à Leanda Cave"). The names
are taken, in reading order, from the sentences of the report that tell a result (a win, a place,
"suivi de", "devant"), in the part about the race asked for: a report of the men's and the women's
races tells one after the other, and the part switches at "chez les femmes", "la course homme", or a
sentence whose subject is "la Britannique" rather than "le Britannique". A sentence about an earlier
year ("vainqueur de l'édition 2014") tells a record, not this result. Pure but for spaCy's entities.
"""
from __future__ import annotations

import re
from typing import Sequence

from index.french import fold
from rag.names import one_edit
from rag.shaped.predicate import _stems
from rag.shaped.corpus import Sent, is_debris

PODIUM = 3  # names of a podium
READ = 24  # result sentences parsed at most (a podium is told in the first few; a long report stays fast)

_ASKS = re.compile(r"\bpodium|\btop ?(?:3|trois|three)\b|\b(?:trois|3) (?:premiers|premieres)\b|\bpremieres places\b|"
                   r"\btrois premieres\b|\b(?:first|top) three\b|\bmedal(?:s|lists|led|ists)?\b|\bmedaille(?:s|es)\b")
# "Quelles médailles a-t-il remportées ?", "how many medals": the medals are what is asked, not who
_MEDALS_ASKED = re.compile(r"\b(?:quel(?:le)?s?|which|what|combien de|how many)\s+(?:\w+\s+)?(?:medal|medaille)")
_WOMEN = re.compile(r"\b(?:femmes?|feminin(?:e|es)?|dames|women'?s?|woman|female|filles)\b")
_MEN = re.compile(r"\b(?:hommes?|masculin(?:e|s)?|men'?s?|male|garcons|messieurs)\b")

# A sentence's part of the report: the race it names, or the gender of its words for the athletes
# ("la Britannique", "l'Australienne", "elle" / "le Britannique", "l'Espagnol", "il")
_SAYS_WOMEN = re.compile(r"\b(?:femmes|féminines?|dames|championne|vainqueure|gagnante|lauréate|Suissesse|elle|"
                         r"(?:[Ll]['’]|[Ll]a\s)(?:[A-ZÉ][a-zéèëï-]+(?:ienne|aise|oise|ande|aine|ine|ane|ise|que|ole|e)|"
                         r"[a-zéè-]+(?:ienne|aise|oise|ande)))\b")
_SAYS_MEN = re.compile(r"\b(?:hommes|homme|masculins?|messieurs|il|(?:[Ll]['’]|[Ll]e\s)[A-ZÉ][a-zéèëï-]+"
                       r"(?:ien|ais|ois|and|ain|in|an|ol|ec)|[Ll]e\s[A-ZÉ][a-zéèëï-]+(?:que|e)|"
                       r"(?:[Ll]['’])[a-zéè-]+(?:ien|ais|ois|and))\b")

# The words that tell a result (a win, a place), not the race's course ("la seconde transition")
_RESULT = re.compile(r"\b(?:vainqueur|vainqueure|victoire|remport\w*|s['’]impos\w*|l['’]emport\w*|gagn\w*|"
                     r"(?:premi\w+|second\w*|deuxième|troisième|[123]e)\s+(?:place|position|marche)|"
                     r"(?:est|termine|finit|arrive|classée?)\s+(?:en\s+)?(?:premi\w+|second\w*)|(?:le|la)\s+plus\s+rapide|deuxième|troisième|classée?\s+second\w*|suivie?s?\s+(?:de|du|des|par)|devant|podium|médaille\w*|"
                     r"franchi\w*\s+(?:la\s+ligne|en\s+vainqueur|premi\w+)|s['’]adjug\w*)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def asks_podium(question: str) -> bool:
    """The list asked for is a race's first three (pure)."""
    q = fold(question)
    return bool(_ASKS.search(q)) and not _MEDALS_ASKED.search(q)


def asked_race(question: str) -> str | None:
    """"F" (the women's race), "M" (the men's), or None when the question names neither (pure)."""
    q = fold(question)
    women, men = bool(_WOMEN.search(q)), bool(_MEN.search(q))
    return "F" if women and not men else "M" if men and not women else None


def parts(sents: Sequence[Sent]) -> list[str | None]:
    """The race each sentence of a report is about ("F", "M", or None before either is named): the
    last one its words name, or the one before it (pure)."""
    out, now = [], None
    for s in sents:
        f = [m.start() for m in _SAYS_WOMEN.finditer(s.text)]
        m = [x.start() for x in _SAYS_MEN.finditer(s.text)]
        if f or m:  # the race named first in the sentence is what it is about ("Chez les féminines, …")
            now = "F" if (min(f) if f else 10 ** 6) < (min(m) if m else 10 ** 6) else "M"
        out.append(now)
    return out


def result_sentences(sents: Sequence[Sent], race: str | None, year: str | None) -> list[Sent]:
    """The sentences of the report that tell a result of ``race`` (both when None), in reading order."""
    races = parts(sents)
    out = []
    for s, r in zip(sents, races):
        if is_debris(s.text) or not _RESULT.search(s.text):
            continue
        if race is not None and r is not None and r != race:
            continue
        years = _YEAR.findall(s.text)
        if year and years and year not in years:
            continue  # "vainqueur de l'édition 2014": a record, not this race
        out.append(s)
    return out


def podium(question: str, sents: Sequence[Sent], year: str | None, labels: set[str],
           names_of=None) -> list[tuple[Sent, int, int, str]]:
    """Up to three names (sentence, start, end, name) of the podium asked for, read from the report
    ``sents`` (one article's sentences in order) published in ``year``; ``labels``: the entity
    labels of what is asked (people; countries for a song contest). ``names_of(texts)`` gives each
    text's entities as (start, end, text, label); spaCy's by default."""
    chosen = result_sentences(sents, asked_race(question), year)
    if not chosen:
        return []
    # the sentences holding most of the question's own words, two or more, first ("le classement
    # général" asked: its first three, not the stage's); reading order among equals
    # (not the words of any race report: "la course homme" is asked of every sentence of the men's race)
    asked = _stems(question) - _stems("podium trois premiers premières places top three first medals médailles "
                                      "qui who c'était était course courses épreuve race homme hommes femme "
                                      "femmes masculin masculine féminin féminine dames men women chez")
    held = {id(s): len(asked & _stems(s.text)) for s in chosen}
    held = {k: v if v >= 2 else 0 for k, v in held.items()}  # one word in common ("WTS") is chance
    chosen = sorted(chosen, key=lambda s: -held[id(s)])[:READ]  # a long report: its first result sentences
    if names_of is None:
        names_of = _spacy_names
    q = fold(question)
    found: list[tuple[Sent, int, int, str]] = []
    seen: set[str] = set()
    for s, ents in zip(chosen, names_of([s.text for s in chosen])):
        for a, b, text, label in _with_coordinated(s.text, ents):
            key = fold(text)
            if not (label in labels or label == "MISC" and "PER" in labels and _PERSONLIKE.match(text)) \
                    or key in seen or key in q or len(text) < 3 or any(ch.isdigit() for ch in text) \
                    or key.split()[0] in q.split():  # "Ironman 70.3", asked of the Ironman France
                continue
            if any(_same(key, k) for k in seen):
                continue
            seen.add(key)
            found.append((s, a, b, text))
    return found[:PODIUM]


def _same(x: str, y: str) -> bool:
    """Two spellings of one name: "Sagan" and "Peter Sagan", "Emma Bihlam" and "Emma Bilham" (two
    letters swapped), one letter off (pure)."""
    if x in y or y in x or one_edit(x, y):
        return True
    return len(x) == len(y) >= 8 and sorted(x) == sorted(y) and sum(a != b for a, b in zip(x, y)) == 2


_PERSONLIKE = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+){1,2}$")  # "Ashleigh Gentle", tagged MISC
_AND_NAME = re.compile(r"(?:\s*,\s*|\s+et\s+|\s+and\s+)(?:(?:l['’]|la |le )[A-ZÉ]\w+\s+)?"
                       r"([A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2})")


def _with_coordinated(text: str, ents):
    """The entities, and the names coordinated after one ("suivi de Christopher Froome et Maciej
    Bodnar": the tagger may see only the first) with its label (pure)."""
    from rag.shaped.entities import coordinated_names

    out = list(ents)
    for a, b, name, label in ents:
        out.extend((x, y, n, label) for x, y, n in coordinated_names(text, b, out, _AND_NAME))
    return sorted(out)


def _spacy_names(texts: Sequence[str]) -> list[list[tuple[int, int, str, str]]]:
    from rag.spans import parse

    out = []
    for doc in parse(list(texts)):
        out.append([(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents if e.text[:1].isupper()])
    return out
