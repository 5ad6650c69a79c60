"""Follow-up questions rewritten into standalone questions, without an LLM.

"Et qu'a répondu la Chine ?", "Quand est-il arrivé ?", "Who else criticised it?" only make sense
after earlier turns. :func:`standalone_question` carries the subject of those turns into the
question actually searched:

- a subject pronoun (il, elle, ils, ce dernier, celui-ci, he, she, it, they…) is replaced by what it
  most likely stands for: a person for il/elle/he/she (a woman first for elle/she), the topic of
  the previous question (its first noun phrase, e.g. "la rencontre") or a named thing for it, the
  two named together or a group for ils/they; an object pronoun (lui, l', cela, his…) stays and
  its referent joins the context;
- a fragment ("Et la Chine ?", "What about Neymar?") takes the place of the matching entity of the
  previous question, or is asked with it;
- the other entities and the topic of the previous turn that the question does not name are
  appended as context: "Qu'a répondu la Chine (contexte : la rencontre, Donald Trump) ?"; with
  "else/d'autre" the previous answer is named as what to look beyond ("besides Donald Trump").

A question that names its own subject and has no anaphora is returned unchanged ("Combien le PSG
a-t-il payé ?" repeats its own subject; "il y a" is impersonal). Entities and topics come from
rag/mentions.py (spaCy's French NER merged with runs of capitalised words).
"""
from __future__ import annotations

import re
from typing import Sequence

from rag.mentions import (INTERROGATIVE, STOP_WORDS, Analyser, Analysis, Mention, caps_runs, is_english,
                          regex_analysis, spacy_analysis, warm_up)

__all__ = ["standalone_question", "is_follow_up", "context_terms", "without_context", "warm_up", "regex_analysis", "spacy_analysis"]

MAX_CONTEXT_TERMS = 3
HISTORY_TEXTS = 4  # the last two turns (question, answer) are looked at, most recent first

# ---- words ---------------------------------------------------------------------------------------
_CONNECTOR = re.compile(
    r"^\s*(?:et\s+(?:pour|quid\s+de|en\s+ce\s+qui\s+concerne)|quid\s+de|et|mais|puis|alors|ensuite|sinon|"
    r"donc|aussi|and\s+what\s+about|what\s+about|how\s+about|and|but|so|then|also)\b[\s,]*",
    re.IGNORECASE)
_ELSE = re.compile(r"\b(?:d['’]autres?|autres?|else|other|others|aussi|également|too|also|encore)\b",
                   re.IGNORECASE)
_IMPERSONAL = re.compile(
    r"\b(?:il\s+(?:y\s+a|y\s+avait|y\s+aura|faut|fallait|s['’]agit|s['’]agissait|est\s+question|pleut)|"
    r"y\s+a-t-il|y\s+avait-il|faut-il|s['’]agit-il|it\s+(?:is|was)\s+(?:said|reported|true|possible))\b",
    re.IGNORECASE)

# Pronouns: (regex, kind) where kind is "person", "thing" or "plural"; feminine ones are marked.
_FR_INVERTED = re.compile(r"\b([\w’']+)-(?:t-)?(il|elle|ils|elles)\b", re.IGNORECASE)
_FR_ELIDED = re.compile(r"\b(qu|s)['’](il|elle|ils|elles)\b", re.IGNORECASE)
_FR_SUBJECT = re.compile(r"\b(il|elle|ils|elles)\b", re.IGNORECASE)
_FR_DEMONSTRATIVE = re.compile(
    r"\b(ce\s+dernier|cette\s+dernière|ces\s+derniers|ces\s+dernières|celui-ci|celle-ci|ceux-ci|celles-ci|"
    r"celui-là|celle-là|lui|eux|cela|ça)\b", re.IGNORECASE)
_FR_OBJECT = re.compile(r"\bl['’](?=(?:a|ont|avait|avaient|aura|auront|aurait|est|était|avoir)\b)", re.IGNORECASE)
_EN_PRONOUN = re.compile(r"\b(he|she|him|her|his|it|its|they|them|their|this|that)\b", re.IGNORECASE)

_FEMININE = {"elle", "elles", "cette dernière", "ces dernières", "celle-ci", "celle-là", "celles-ci", "she", "her"}
_PLURAL = {"ils", "elles", "eux", "ces derniers", "ces dernières", "ceux-ci", "celles-ci", "they", "them", "their"}
_THING = {"cela", "ça", "it", "its", "this", "that", "l'"}

_CONTEXT_TAIL = re.compile(r"\s*\((?:contexte|context|à part|besides)\b[^)]*\)", re.IGNORECASE)
_MARKERS = re.compile(r"\[\d+\]|[«»\"“”]")


# ---- history texts ---------------------------------------------------------------------------------
def clean(text: str) -> str:
    """Drop [n] markers, quotation marks and an appended '(contexte : …)' from a history text."""
    text = _CONTEXT_TAIL.sub("", text)
    text = re.sub(r"\s*\[\d+\]\s*", ". ", text)
    text = _MARKERS.sub(" ", text)
    text = re.sub(r"^\s*(?:Passages les plus proches|Closest passages)\s*:\s*", "", text)
    return " ".join(text.split())


def without_context(question: str) -> str:
    """The question itself, without the '(contexte : …)' it carries for retrieval."""
    return " ".join(_CONTEXT_TAIL.sub("", question).split())


def context_terms(text: str) -> list[str]:
    """The terms of an appended '(contexte : a, b)' part, so that context survives several turns."""
    out = []
    for m in _CONTEXT_TAIL.finditer(text):
        for part in m.group(0).strip(" ()").split(";"):
            part = re.sub(r"^\s*(?:contexte|context|à part|besides)\s*:?\s*", "", part, flags=re.IGNORECASE)
            out += [t.strip() for t in part.split(",") if t.strip()]
    return out


# ---- the rewrite ---------------------------------------------------------------------------------------
_SUBJECT_BEFORE = re.compile(r"\b(?:le|la|les|l['’]|un|une|des|du|ce|cet|cette|ces|son|sa|ses|leur|leurs)\s*\w",
                             re.IGNORECASE)


def _anaphoric(q: str, start: int) -> bool:
    """A pronoun at ``start`` points back to earlier turns unless the question names a subject before
    it: "Combien le PSG a-t-il payé ?", "Quand Kim Jong Un est-il arrivé ?" (complex inversion)."""
    prefix = _CONNECTOR.sub("", q[:start], count=1)
    words = prefix.split()
    return not (_SUBJECT_BEFORE.search(prefix) or any(w[:1].isupper() for w in words[1:]))


def _pronoun_matches(body: str) -> list[re.Match]:
    return [m for rx in (_FR_INVERTED, _FR_ELIDED, _FR_SUBJECT) for m in rx.finditer(body)
            if _anaphoric(body, m.start())]


def is_follow_up(question: str) -> bool:
    """True when the question leans on earlier turns (connector, anaphora, or no subject of its own)."""
    q = question.strip()
    if _CONNECTOR.match(q):
        return True
    body = _IMPERSONAL.sub(" ", q)
    if _pronoun_matches(body):
        return True
    if _FR_DEMONSTRATIVE.search(body) or _FR_OBJECT.search(body):
        return True
    if is_english(q) and any(not _is_determiner(body, m) for m in _EN_PRONOUN.finditer(body)):
        return True
    if _ELSE.search(q) and not caps_runs(q):
        return True
    words = [w for w in re.findall(r"[\w’'-]+", q.lower()) if re.split(r"['’]", w)[0] not in STOP_WORDS]
    return len(words) <= 1  # "Pourquoi ?", "Et quand ?", "How many?"


def _referent(kind: str, feminine: bool, turns: list[Analysis], exclude: str) -> Mention | None:
    """The mention a pronoun of this kind most likely stands for, most recent turn first."""
    def fresh(ms):
        return [m for m in ms if not _mentions_in(exclude, m.text)]

    ents = fresh([e for a in turns for e in a.entities])
    topics = fresh([a.topic for a in turns if a.topic])
    persons = [e for e in ents if e.kind == "person"]
    things = [e for e in ents if e.kind != "person"]
    if kind == "plural":
        for a in turns:  # two names given together: "La Chine et les États-Unis"
            group = fresh(a.entities)
            people = [e for e in group if e.kind == "person"]
            others = [e for e in group if e.kind != "person"]
            for g in (people, others):
                if len(g) >= 2:
                    return Mention(f"{g[0].text} et {g[1].text}", g[0].kind, plural=True)
        for m in things + topics:
            if m.plural:
                return m
        return (persons + things + topics or [None])[0]
    if kind == "person":
        if feminine:
            ranked = ([m for m in persons if m.feminine] + [m for m in things + topics if m.feminine]
                      + persons)
        else:
            bare = [m for m in things if m.text[:1].isupper()]  # a bare name: "Neymar", not "le PSG"
            ranked = [m for m in persons if not m.feminine] + [
                m for m in bare + topics + things if not m.feminine and not m.plural]
        return (ranked or [None])[0]
    return (topics + things + persons or [None])[0]


def _replace_pronouns(q: str, turns: list[Analysis]) -> tuple[str, list[str]]:
    """Replace subject pronouns by their referents; object pronouns' referents go to context."""
    used: list[str] = []
    exclude = q
    protected: list[str] = []

    def protect(m: re.Match) -> str:
        protected.append(m.group(0))
        return f"\x00{len(protected) - 1}\x00"

    q = _IMPERSONAL.sub(protect, q)

    def pick(word: str) -> Mention | None:
        w = word.lower().replace("’", "'")
        kind = "plural" if w in _PLURAL else "thing" if w in _THING else "person"
        ref = _referent(kind, w in _FEMININE, turns, exclude)
        if ref is not None:
            used.append(ref.text)
        return ref

    def referent(m: re.Match, group: int) -> Mention | None:
        return pick(m.group(group)) if _anaphoric(m.string, m.start()) else None

    def inverted(m: re.Match) -> str:
        ref = referent(m, 2)
        if ref is None:
            return m.group(0)
        verb = m.group(1)
        head = re.split(r"['’]", verb, maxsplit=1)[0] if re.search(r"['’]", verb) else ""
        if head.lower() == "qu":  # "Qu'a-t-elle dit ?" -> "Que Kaja Kallas a-t-elle dit ?"
            return f"{head[0]}ue {ref.text} {m.group(0)[len(head) + 1:]}"
        if head:
            return m.group(0)
        return f"{ref.text} {m.group(0)}"  # complex inversion: "Quand Kim Jong Un est-il arrivé ?"

    def elided(m: re.Match) -> str:
        ref = referent(m, 2)
        if ref is None:
            return m.group(0)
        return ("que " if m.group(1).lower() == "qu" else "si ") + ref.text

    def plain(m: re.Match) -> str:
        ref = referent(m, 1)
        return m.group(0) if ref is None else ref.text

    if is_english(q):
        for m in list(_EN_PRONOUN.finditer(q))[::-1]:
            if _is_determiner(q, m):
                continue
            if m.group(1).lower() in ("his", "its", "their"):
                pick(m.group(1))  # a possessive stays; its referent goes to context
                continue
            ref = pick(m.group(1))
            if ref is not None:
                q = q[:m.start()] + ref.text + q[m.end():]
    else:
        n = len(used)
        q = _FR_INVERTED.sub(inverted, q, count=1)
        if len(used) == n:
            q = _FR_ELIDED.sub(elided, q, count=1)
        if len(used) == n:
            q = _FR_SUBJECT.sub(plain, q, count=1)
        for m in _FR_DEMONSTRATIVE.finditer(q):
            w = m.group(1).lower()
            if w in ("ce dernier", "cette dernière", "ces derniers", "ces dernières", "celui-ci", "celle-ci",
                     "ceux-ci", "celles-ci", "celui-là", "celle-là"):
                ref = pick(w)
                if ref is not None:
                    q = q[:m.start()] + ref.text + q[m.end():]
                break
            pick(w)  # "lui", "cela": the object stays; its referent goes to context
            break
        if _FR_OBJECT.search(q):
            pick("l'")
    for i, text in enumerate(protected):
        q = q.replace(f"\x00{i}\x00", text)
    return q, used


def _is_determiner(q: str, m: re.Match) -> bool:
    """'that'/'this'/'her' followed by a noun are determiners ("that meeting"), not pronouns."""
    if m.group(1).lower() not in ("this", "that", "her"):
        return False
    rest = q[m.end():].lstrip()
    return bool(re.match(r"[a-z]{3,}", rest)) and not re.match(r"(?:is|was|did|does|has|had|say|said)\b", rest)


def _fragment(q: str) -> bool:
    """"la Chine", "Neymar" after the connector: no question word, a few words."""
    return not INTERROGATIVE.search(q) and len(q.split()) <= 5


def _fold(s: str) -> str:
    return re.sub(r"^(?:la|le|les|l['’]|the)\s*", "", s.lower()).strip()


def _mentions_in(q: str, term: str) -> bool:
    return bool(term) and _fold(term) in q.lower()


def _finish(q: str) -> str:
    q = q.strip().rstrip("?").rstrip()
    return (q[:1].upper() + q[1:]) if q else q


def _ask_about(previous: str, frag: str, analyse: Analyser) -> str | None:
    """"Et Neymar ?" after "Quel club a recruté Mbappé ?": the previous question, about Neymar."""
    new = (analyse(frag).entities or [Mention(frag, "thing")])[0]
    for old in analyse(previous).entities:
        i = previous.find(old.text)
        before = previous[:i].split()[-1:] if i >= 0 else []
        if i < 0 or (before and before[0].lower() in ("de", "d'", "d’", "du", "des")):
            continue  # "l'accord de Paris": Paris belongs to a name, not the thing asked about
        bare = old.text[:1].isupper() and new.text[:1].isupper()  # two names without determiner
        if old.kind == new.kind or "thing" in (old.kind, new.kind) or bare:
            return previous[:i] + frag + previous[i + len(old.text):]
    return None


def standalone_question(question: str, history: Sequence[str], *, analyse: Analyser | None = None) -> str:
    """The question rewritten to stand alone, given the earlier turns' texts (oldest first).

    ``history`` holds earlier questions and answers as plain strings, oldest first (the chat passes
    each turn's searched question and its short answer). Without a follow-up cue, or without
    history, the question comes back unchanged.
    """
    q = " ".join(question.split())
    texts = [" ".join(t.split()) for t in (history or []) if isinstance(t, str) and t.strip()]
    if not q or not texts or not is_follow_up(q):
        return q
    analyse = analyse or spacy_analysis
    recent = list(reversed(texts))[:HISTORY_TEXTS]
    turns = []
    for t in recent:
        a = analyse(clean(t))
        if not t.endswith("?") and len(t.split()) > 15:  # a long answer: its first names only
            a = Analysis(a.entities[:2], None)
        turns.append(a)
    # The latest exchange (last answer and its question) gives the context; older turns only help
    # to find what a pronoun stands for.
    latest = 2 if len(recent) > 1 and not recent[0].endswith("?") else 1

    def carried(texts_: list[str]) -> list[Analysis]:
        terms = [Mention(t, "person" if len(t.split()) >= 2 and t[:1].isupper() else "thing")
                 for x in texts_ for t in context_terms(x)]
        return [Analysis(terms, None)] if terms else []

    context_turns = turns[:latest] + carried(recent[:latest])
    turns = turns + carried(recent)  # terms carried by earlier rewrites rank after the turns' own
    english = is_english(q)
    wants_else = bool(_ELSE.search(q))
    answer_terms = {e.text for e in turns[0].entities} if not recent[0].endswith("?") else set()

    body = _CONNECTOR.sub("", q, count=1).strip() or q
    used: list[str] = []
    if body != q and _fragment(body.rstrip(" ?")):
        frag = body.rstrip(" ?")
        previous = next((clean(t) for t in recent if t.endswith("?")), None)
        if previous:
            rewritten = _ask_about(previous, frag, analyse)
            if rewritten:
                return _finish(rewritten) + ("?" if english else " ?")
            body, used = previous, [frag]
            context_turns.insert(0, Analysis([Mention(frag, "thing")], None))
    else:
        body, used = _replace_pronouns(body, turns)

    # Context: topics first, then entities, of the most recent turns, that the question does not name.
    context: list[str] = []
    besides: list[str] = []
    pool = [a.topic for a in context_turns if a.topic] + [e for a in context_turns for e in a.entities]
    for m in pool:
        t = m.text
        if any(_mentions_in(x, t) for x in [body] + context + besides):
            continue
        if wants_else and t in answer_terms:
            besides.append(t)
        elif len(context) < MAX_CONTEXT_TERMS:
            context.append(t)
    parts = []
    if besides:
        parts.append(("besides " if english else "à part ") + ", ".join(besides[:2]))
    if context:
        parts.append(("context: " if english else "contexte : ") + ", ".join(context))
    out = _finish(body)
    if parts:
        out += " (" + " ; ".join(parts) + ")"
    return out + ("?" if english else " ?")
