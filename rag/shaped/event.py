"""The event a why or how question asks about, and whether an article states it.

"Pourquoi Armel Le Cléac'h a-t-il abandonné le Vendée Globe ?" asks the cause of an abandonment; the
only article naming him says he won. Its sentences hold no cause of that event, however well they
score: the corpus does not say, and the answer must say so. The event is the question's verb (its
auxiliaries and light verbs left out: "fait", "passé", "eu"), known by its word family, the verbs and
nouns of the same meaning (rag/shaped/predicate.PREDICATES) and the noun an article writes for it
("réagi" ~ "réaction", "arrêté" ~ "arrestation"). A question whose verb cannot be read (an English
verb the glossary does not know) has no event: nothing is checked.

Articles often state the event in other words ("a déclaré forfait" for "abandonné", "décerné" for
"reçu"). An article that does not write the event is kept when the trained reader finds an answer in
it (a margin of ``EVENT_MARGIN`` or more over "no answer") or when one of its verbs is near
the question's verb in spaCy's word vectors (``EVENT_SIMILAR``, French questions only). Both were
chosen on the fit files' why/how questions and the fit unanswerable ones: shapes-unanswerable-fit2
0.25 -> 0.60, -dev 0.25 -> 0.56, no fit/dev why/how answer lost (eval/HISTORY.md, session 28).
The margin was -5 for the PIAF-only reader; session 30's reader (models/reader) finds answers more
readily, and on the same fit rows -1 refuses what -5 did before (7 of the 10 unanswerable questions
whose event no article writes, 2 of the 68 answerable ones; at -5 it refused 4 and 1). Pure, but for
spaCy's parse of a French question (rag/spans.parse) and of an article in :func:`paraphrased`.
"""
from __future__ import annotations

import re

from index.french import tokenize
from rag.glossary import GLOSSARY
from rag.shaped.predicate import _EN_PAST, _INSERT, PREDICATES, _like

# verbs that carry no event of their own ("Comment a-t-il fait pour gagner ?": gagner; "Que s'est-il
# passé", "Pourquoi y a-t-il eu…", "Comment expliquer la hausse…") and verbs of saying and knowing
LIGHT = set("""être avoir faire aller pouvoir devoir vouloir falloir passer produire agir expliquer savoir
dire déclarer penser croire sembler paraître rester devenir permettre pousser amener conduire
fait eu été passé dit""".split())
EVENT_MARGIN = -1.0  # -5 with the PIAF-only reader (see above)
EVENT_SIMILAR = 0.53
SHORT = 4  # a meaning group's stem shorter than this ("vis", "com") is no evidence of the event

# a verb and the nouns an article writes for it, when they are not of one spelling family
NOUNS = [
    "réagir réagi réaction réactions react reacted reaction",
    "arrêter arrêté arrestation interpellé interpellation arrest arrested",
    "blesser blessé blessée blessure blessures injured injury wounded",
    "mourir mort morte décès décédé décédée succombé die died death",
    "démissionner démissionné démission resign resigned resignation",
    "expulser expulsé expulsion expel expelled",
    "hospitaliser hospitalisé hospitalisation hospitalised hospitalized",
    "élire élu élue élection elect elected",
    "nommer nommé nommée nomination appoint appointed",
    "condamner condamné condamnée condamnation sentenced convicted",
    "venir venu venue visite visiter arrivée come came visit",
    "partir parti départ leave left",
    "refuser refusé refus refuse refused",
]
_EN_AUX = re.compile(r"\b(?:did|does|do|was|were|is|are|has|have|had|will|would|could|can|should)\b", re.I)
_EN_FUNCTION = set("""the a an his her its their this that these those to in on at of for with from by about
after before during into over against him her them it he she they we you us me my our your not n't ?""".split())
_EN_LIGHT = set("say said tell told do does did make made happen happened get got go went have had be been".split())


def _groups() -> list[set[str]]:
    if not _GROUPS:
        _GROUPS.extend({t for w in g.split() for t in tokenize(w)} for g in PREDICATES + NOUNS)
    return _GROUPS


_GROUPS: list[set[str]] = []


def _family(words: list[str]) -> frozenset[str]:
    """The stems of ``words`` and of every meaning group one of them belongs to."""
    stems = {t for w in words for t in tokenize(w)}
    out = set(stems)
    for g in _groups():
        if any(_like(t, b) for t in stems for b in g):
            out |= {b for b in g if len(b) >= SHORT}
    return frozenset(out)


def _english_forms(word: str) -> list[str]:
    """French words for an English verb as written, or for its base form ("cancelled": "cancel")."""
    w = word.lower()
    for base in (w, w[:-1], w[:-2], w[:-3], w[:-3] + "y"):
        if base in GLOSSARY:
            return GLOSSARY[base]
    return []


def english_verb(question: str) -> str | None:
    """The verb of an English why/how question, after its auxiliary: after "was", "were", "is",
    "are", "has", "have", "had", the first lower-case participle ("Why were the GM&S workers of La
    Souterraine still demonstrating…": demonstrating, not workers); after "did", "does"…, the first
    lower-case word that a function word, a name or the end follows ("How did Eric Chu react to…":
    react; "Why did the police arrest him": arrest). None without an auxiliary."""
    m = _EN_AUX.search(question)
    if not m:
        return None
    participle = m.group(0).lower() in _EN_BE_HAVE
    toks = re.findall(r"[A-Za-z'-]+|\?", question[m.end():])
    for i, w in enumerate(toks):
        lw = w.lower()
        if not w[:1].islower() or lw in _EN_FUNCTION or lw in _EN_LIGHT:
            continue
        if participle:
            if lw in _EN_PAST or (len(lw) > 4 and lw.endswith(("ed", "ing", "en"))):
                return w
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else "?"
        if nxt == "?" or nxt.lower() in _EN_FUNCTION or nxt[:1].isupper():
            return w
    return None


_EN_BE_HAVE = {"was", "were", "is", "are", "has", "have", "had"}


def event_of(question: str, english: bool = False) -> list[frozenset[str]]:
    """One stem set per event verb of the question (any of them stated is the event stated); [] when
    the question's verb cannot be read."""
    if english:
        # a verb the glossary translates, or one a meaning group holds ("attended"); else unknown
        verb = english_verb(question)
        forms = _english_forms(verb) if verb else []
        if not verb or not forms and not any(_like(t, b) for t in tokenize(verb) for g in _groups() for b in g):
            return []
        fam = _family([verb.lower(), *forms])
        return [fam] if fam else []
    from rag.spans import parse

    doc = parse([_INSERT.sub(",", question)])[0]
    fams = [_family([t.text.lower(), t.lemma_.lower()]) for t in doc
            if t.pos_ == "VERB" and t.lemma_.lower() not in LIGHT and t.text.lower() not in LIGHT]
    return [f for f in fams if f]


def states(events: list[frozenset[str]], stems: set[str]) -> bool:
    """Whether a text whose stems are ``stems`` states one of the question's ``events`` (True when
    the question has none)."""
    if not events:
        return True
    return any(t in stems or any(_like(t, o) for o in stems) for fam in events for t in fam)


def paraphrased(question: str, text: str, most: int = 6000) -> bool:
    """Whether a verb of ``text`` (its first ``most`` characters) is near a verb of the French
    ``question`` (not a light one) in spaCy's word vectors: the event said in other words."""
    from rag.spans import parse

    q, doc = parse([_INSERT.sub(",", question), text[:most]])
    verbs = [t for t in q if t.pos_ == "VERB" and t.has_vector and t.text.lower() not in LIGHT]
    words = [t for t in doc if t.pos_ == "VERB" and t.has_vector]  # nouns are near by topic ("démissionné" ~ "président")
    return any(a.similarity(b) >= EVENT_SIMILAR for a in verbs for b in words)

