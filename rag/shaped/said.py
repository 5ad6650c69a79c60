"""What was said: quotations and reported speech, each with its speaker, and yes/no evidence.

"Qu'a écrit Trump ?" -> « "Veuillez transmettre…", a-t-il écrit… »; the speaker is the person or
organisation the sentence names outside its quotation, or — for "a-t-il réagi" — the one named in
the sentence before (both then cited as one verbatim span).
Yes/no questions get the sentences that decide, and "oui"/"non" only when a sentence names the
question's subject together with its predicate (negated or not); otherwise the answer says the
corpus does not state it in those terms. Pure.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from index.french import fold
from rag.shaped.corpus import Sent, is_debris

QUOTE = re.compile(r"[«\"“][^«»\"“”]{12,}[»\"”]")
SPEECH = re.compile(r"\b(?:a|ont|avait|avaient)(?:(?:-t)?-(?:il|elle|ils|elles))?\s+(?:aussi\s+|encore\s+|ensuite\s+)?"
                    r"(?:dit|déclaré|écrit|répondu|réagi|affirmé|expliqué|estimé|annoncé|ajouté|indiqué|dénoncé|"
                    r"souligné|rétorqué|assuré|qualifié|rejeté|confié|précisé|tweeté|publié|raconté|témoigné|martelé|"
                    r"avoué|crié|scandé)\b|\b(?:selon|d'après)\b"
                    # the reporting present of wire copy: "le Conseil estime que…", "affirme que…"
                    r"|\b(?:dit|déclare|affirme|estime|explique|annonce|ajoute|indique|souligne|assure|précise|"
                    r"rappelle|juge|considère|reconnaît|confie|rétorque|raconte|témoigne|martèle)\s+(?:que|qu['’])",
                    re.IGNORECASE)
OPENED = re.compile(r"[«“][^«»“”]{12,}$")  # a quotation that goes on in the next sentence
# "a-t-il écrit", "Il a ajouté": the speaker is named before (not the impersonal "Il y a", "Il faut")
# a speaker going on with what they said before ("poursuivant sa déclaration", "a-t-il ajouté")
CONTINUES = re.compile(r"\b(?:poursuivant|poursuit|poursuivi|a poursuivi|continuant|continue|ajoute|ajoutant|a ajouté|"
                       r"a-t-(?:il|elle) ajouté|a-t-(?:il|elle) poursuivi|renchérit|a renchéri|added|adding|went on|"
                       r"continued)\b", re.IGNORECASE)
PRONOUN_SPEAKER = re.compile(r"-t-(?:il|elle)\b|\b(?:avait|avaient|ont)-(?:il|elle|ils|elles)\b|^\s*(?:Il|Elle)\s(?!(?:n['’])?y a\b|(?:ne )?faut\b)", re.IGNORECASE)


def once_each(sents: Sequence[Sent]) -> list[Sent]:
    """Each sentence once, at its best score, in first-seen order (pure): a sentence that follows a
    top one may be ranked too."""
    best: dict[tuple[str, int], Sent] = {}
    for s in sents:
        key = (s.article_id, s.start)
        best[key] = max(best.get(key, s), s, key=lambda x: x.score)
    return list(best.values())


def speech_score(text: str) -> float:
    """How much a sentence reports speech: a quotation and a verb of saying (x1.44), one of them (x1.2)."""
    quotes = QUOTE.search(text) or OPENED.search(text)
    return (1.2 if quotes else 1.0) * (1.2 if SPEECH.search(text) else 1.0)


def outside_quotes(text: str) -> list[tuple[int, int]]:
    """[start, end) stretches of ``text`` that are not inside a quotation."""
    out, last = [], 0
    for m in QUOTE.finditer(text):
        out.append((last, m.start()))
        last = m.end()
    out.append((last, len(text)))
    return out


_ANY_QUOTE = re.compile(r"[«“‹][^«»“”‹›]{1,40}[»”›]")


def speaker(doc, text: str, people: bool = False) -> tuple[str, int] | None:
    """(name, offset) of the person or organisation a sentence names outside its quotations
    (``people``: a person only, as "il" or "elle" in "…, a-t-il déclaré" takes up). A name between
    quotation marks, however short, is no speaker ("le nom « eSwatini »")."""
    free = outside_quotes(text)
    named = [(m.start(), m.end()) for m in _ANY_QUOTE.finditer(text)]
    best = None
    for e in doc.ents:
        if e.label_ in (("PER",) if people else ("PER", "ORG")) and any(a <= e.start_char and e.end_char <= b for a, b in free) \
                and not any(a <= e.start_char < b for a, b in named):
            if best is None or (e.label_ == "PER" and best[2] != "PER"):
                best = (e.text, e.start_char, e.label_)
    if best is None:
        m = re.search(r"\bM(?:me)?\.\s+[A-ZÉ][\w-]+", text)
        if m and any(a <= m.start() and m.end() <= b for a, b in free):
            return m.group(0), m.start()
        return None
    return best[0], best[1]


# "Il estime que…", "Elle a déclaré…": a pronoun speaking (not "Il n'y a…", "Il faut…")
_OTHER_PRONOUN = re.compile(r"\s*(?:Il|Elle|Ils|Elles|He|She|They)\s+(?:(?:a|ont|avait|avaient|aurait|has|had)\s+)?([\w'’-]+)")


def _saying(word: str) -> bool:
    """``word`` (folded) is a verb of saying (rag/spans.SPEECH_VERBS)."""
    from index.french import _stem
    from rag.spans import _SPEECH_STEMS, _init_stems

    _init_stems()
    return _stem(word) in _SPEECH_STEMS


def _speaks_next(folded: str, key: str) -> bool:
    """Their name is followed, within three words, by a verb of saying ("le Conseil estime que",
    "Fillon a déclaré"): whoever else the sentence names, these are their words."""
    return any(any(_saying(w) for w in re.findall(r"[\w'-]+", folded[m.end():])[:3])
               for m in re.finditer(rf"\b{re.escape(key)}\b", folded))


def _pronoun_speaks(text: str) -> bool:
    m = _OTHER_PRONOUN.match(text)
    return bool(m) and _saying(fold(m.group(1)))


def same_speaker(sents: Sequence[Sent], theirs: Sequence[Sent], name: str, most: int = 2,
                 speaker_of: Callable[[str], str | None] = lambda text: None) -> list[Sent]:
    """More of what the speaker of ``theirs`` said in the same article (``sents``: its sentences in
    reading order): a sentence naming them (their last name) that quotes or reports speech, and the
    sentence right after one of theirs that goes on with their words (a quotation, "a-t-elle ajouté",
    the end of a quotation opened before) and names no one else. Reading order; at most ``most``."""
    from rag.shaped.corpus import is_fragment

    key = fold(name.split()[-1]) if name.split() else ""
    mine = {s.start for s in theirs}
    out, prev_theirs = [], False
    # "Hope Solo, poursuivant sa déclaration, …": the speech just before is theirs, whoever it names
    # ("La gardienne de l'équipe américaine a qualifié…"), unless it gives another speaker by name
    for i, s in enumerate(sents[1:], 1):
        p = sents[i - 1]
        if s.start in mine and CONTINUES.search(s.text) and p.start not in mine and speech_score(p.text) > 1.0:
            other = speaker_of(p.text)
            if other is None or fold(other.split()[-1]) == key or not other[:1].isupper():
                out.append(p)
                mine.add(p.start)
    for s in sents:
        if s.start in mine:
            prev_theirs = True
            continue
        words = {fold(w) for w in re.findall(r"[\w'-]+", s.text)}
        names_them = bool(key) and key in words and speech_score(s.text) > 1.0
        if names_them:  # "Pour Chartier, Fillon est victime…" names them, but Chartier speaks; so does
            # the one "Il" stands for in "Il estime que François Fillon a bien fait…" (theirs goes on, below)
            # (their name first, "le Conseil, présidé par Laurent Fabius, émet…", they are the subject)
            other = speaker_of(s.text)
            folded = fold(s.text)
            names_them = _speaks_next(folded, key) or (
                (other is None or fold(other.split()[-1]) == key or not other[:1].isupper()
                 or folded.find(key) < folded.find(fold(other.split()[-1]))) and not _pronoun_speaks(s.text))
        goes_on = prev_theirs and (is_fragment(s.text) or bool(PRONOUN_SPEAKER.search(s.text))
                                   or s.text.lstrip()[:1] in "«\"“")
        if goes_on and not names_them:  # "« … », a répondu Guo": someone else's words
            other = speaker_of(s.text)
            goes_on = other is None or fold(other.split()[-1]) == key
        prev_theirs = False
        if is_debris(s.text) and not is_fragment(s.text):
            continue
        if names_them or goes_on:
            out.append(s)
            mine.add(s.start)
            prev_theirs = True
            if len(out) >= most:
                break
    return sorted(out, key=lambda x: x.start)[:most]


def deciding(question: str, sentences: Sequence[Sent], names: set[str], predicate: set[str],
             topic: set[str] = frozenset(), most: int = 2, strict: set[str] | None = None,
             decide: bool = True, subject: set[str] = frozenset(),
             context: Callable[[str], set[str]] | None = None) -> tuple[str, list[Sent]]:
    """("yes" | "no" | "unsaid", the sentences that decide) for a yes/no question.

    ``names``: folded words of the names the question asks about; ``predicate``: stems of its verb
    (and verbs of the same meaning); ``topic``: its other stems. "yes"/"no" only when one sentence
    holds both the names and the predicate (``strict``: the question's own verb, when given: "gagné"
    is not "médaille"; ``decide`` False: the question has no verb to decide on, its predicate is only
    topic words, and no sentence can say yes or no), "no" when a negation bears on that predicate
    (:func:`negated`). Otherwise the deciding sentences are those stating the
    predicate about the topic (who did attend the parade), then those naming the subject.

    ``subject``: stems of the question's subject ("Les chauffeurs ont-ils été placés…"), and
    ``context``: the folded words of an article's title and lead; given both, a sentence holding the
    subject and the predicate decides when the names it lacks are the article's context ("Le
    chauffeur du minibus et celui du camion ont été placés en garde à vue", the lead naming Rochefort)."""
    from rag.shaped.predicate import _holds, opposite

    from rag.dates import period_in

    asked = period_in(question)
    contrary = opposite(strict or predicate)
    pool = [s for s in sentences if not is_debris(s.text)]
    for s in sorted(pool, key=lambda s: -s.score)[:5] if decide else ():
        words = {fold(w) for w in re.findall(r"[\w'-]+", s.text)}
        if not _holds(s.text, strict or predicate) or _holds(s.text, contrary) or other_period(asked, s.text):
            continue  # (a sentence stating the predicate and its opposite, or of another time, decides nothing)
        if names and names <= words or subject and context is not None and _holds(s.text, subject) == len(subject) \
                and names <= words | context(s.article_id) and not _names_others(s.text, names, strict or predicate):
            return ("no" if negated(s.text, strict or predicate) else "yes"), [s]

    def rank(s: Sent) -> tuple:
        words = {fold(w) for w in re.findall(r"[\w'-]+", s.text)}
        weight = 2 * bool(names & words) + 2 * bool(_holds(s.text, predicate)) + min(2, _holds(s.text, topic))
        return (-weight, -s.score)

    return "unsaid", sorted(pool, key=rank)[:most]


def other_period(asked: tuple[str, str] | None, text: str) -> bool:
    """The sentence dates what it says to a time other than the question's period ``asked``: one
    outside it, or one holding it ("en très nette baisse sur l'année 2016" does not say December
    2016 saw a fall); a sentence giving no date, or a day within the period, is of its time (pure)."""
    from rag.dates import period_in

    said = period_in(text) if asked else None
    if said is None:
        return False
    inside = asked[0] <= said[0] and said[1] <= asked[1]
    return not inside


OTHERS_REACH = 4  # words either side of the predicate where another name changes what it says


def _names_others(text: str, names: set[str], predicate: set[str]) -> bool:
    """Near the predicate, the sentence names someone or something the question does not (a
    capitalised word past its first): "…demande l'aide du président de la FIGC, Leandro Arpinati" is
    about the FIGC; "Devant ses supporters à New York, il a annoncé avoir parlé à Hillary Clinton,
    qui l'a félicité" still says she congratulated him."""
    from index.french import tokenize
    from rag.shaped.predicate import _like

    toks = re.findall(r"[\w'’-]+", text)
    at = [i for i, w in enumerate(toks) if any(_like(t, p) for t in tokenize(w)[:1] for p in predicate)]
    return any(w[:1].isupper() and fold(w) not in names and not any(fold(p) in names for p in re.split(r"['’-]", w))
               and any(abs(i - j) <= OTHERS_REACH for j in at) for i, w in enumerate(toks) if i > 0)


_DENIES = re.compile(r"\babsent\w*\b|\brefus\w*\b|\bboycott\w*\b|n['’]t\b", re.IGNORECASE)
_NEG_BEFORE = {"ne", "n", "not", "never", "sans", "pas", "jamais", "without"}
_NEG_AFTER = {"pas", "jamais", "point"}
NEGATION_REACH = 4  # words before the predicate a negation may stand ("n'a pas été condamné")


def negated(text: str, stems: set[str]) -> bool:
    """A negation bears on the predicate (``stems``) in ``text``: among the few words before one of
    its words ("n'a pas été condamné", "did not attend") or just after it ("ne gagne pas"), or a word
    denying by itself (absent, refus, boycott). "Les étoiles binaires ne sont pas rares" does not deny
    that the collision took place (pure)."""
    from index.french import tokenize
    from rag.shaped.predicate import _like

    if _DENIES.search(text):
        return True
    toks = re.findall(r"\w+|[,;:()«»\"–]", text.lower())  # a negation does not reach across a comma
    for i, t in enumerate(toks):
        stem = tokenize(t) if t[0].isalnum() else []
        if stem and any(_like(stem[0], x) for x in stems):
            before = toks[max(0, i - NEGATION_REACH):i]
            before = before[max((k + 1 for k, w in enumerate(before) if not w[0].isalnum()), default=0):]
            after = toks[i + 1:i + 3]
            after = after[:next((k for k, w in enumerate(after) if not w[0].isalnum()), len(after))]
            if _NEG_BEFORE & set(before) or _NEG_AFTER & set(after):
                return True
    return False


def question_verb(question: str, english: bool) -> set[str]:
    """Stems of the verb of a yes/no question: the word after "a-t-il"/"est-il" ("gagné"), or
    after "Did X" in English (through the glossary)."""
    from index.french import tokenize

    m = re.search(r"-(?:t-)?(?:il|elle|ils|elles|on)\s+(?:(?:déjà|bien|vraiment|été)\s+)?([\w'’-]+)", question)
    if m and not english:
        return set(tokenize(m.group(1)))
    m = re.match(r"\s*(?:and\s+)?(?:did|does|do|has|have|had|will|would|could|can|was|were|is|are)\s+(.*)", question,
                 re.IGNORECASE)
    if m:
        from rag.glossary import to_french

        for w in re.findall(r"[\w'-]+", m.group(1)):
            if not w[:1].isupper() and w.lower() not in ("the", "a", "an", "his", "her", "its", "their"):
                return set(tokenize(f"{w} {to_french(w)}"))
    return set()


def in_reading_order(claims: list) -> list:
    """A speaker's sentences of one article in the order they were written (what they said before
    "poursuivant sa déclaration" first), their name shown once, on the first; articles in the order
    of their first claim (pure)."""
    groups: dict[str, list] = {}
    for cl in claims:
        groups.setdefault(cl[2].article_id, []).append(cl)
    out = []
    for group in groups.values():
        ordered = sorted(group, key=lambda cl: cl[2].start)
        who = next((cl[0] for cl in group if cl[0]), None)
        if who and ordered[0][0] is None and not any(cl[1] for cl in group):
            ordered = [(who, None, ordered[0][2])] + [(None if cl[0] == who else cl[0], cl[1], cl[2])
                                                       for cl in ordered[1:]]
        out.extend(ordered)
    return out


QUOTE_REACH = 3  # sentences a quotation may run over, before or after the one chosen


def _balance(text: str) -> int:
    """Quotation marks opened minus closed in ``text`` (« » and “ ”)."""
    return text.count("«") + text.count("“") - text.count("»") - text.count("”")


def whole_quotation(sents: Sequence[Sent], i: int) -> tuple[int, int]:
    """Indexes [a, b] of the sentences (of one article, in reading order) that hold the whole
    quotation sentence ``i`` is part of: the splitter cuts "« Un avion s'est écrasé. La police est en
    route », a déclaré un officier" in two, and either half alone misquotes him. (i, i) when the
    sentence neither opens a quotation it does not close nor closes one it did not open (pure)."""
    from rag.shaped.corpus import is_fragment

    a = b = i
    if is_fragment(sents[i].text):  # the end of a quotation opened before
        for k in range(i - 1, max(-1, i - 1 - QUOTE_REACH), -1):
            if _balance(sents[k].text) > 0:
                a = k
                break
    depth = sum(_balance(sents[k].text) for k in range(a, i + 1))
    if depth > 0:  # opened and not yet closed: up to the sentence closing it
        for k in range(i + 1, min(len(sents), i + 1 + QUOTE_REACH)):
            depth += _balance(sents[k].text)
            if depth <= 0:
                b = k
                break
    return a, b
