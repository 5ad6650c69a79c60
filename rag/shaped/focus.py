"""Yes/no questions that put one name in focus ("Est-ce bien Donald Trump qui a ordonné la frappe ?",
"C'est le préfet qui a interdit la manifestation ?", "Was it the minister who ordered…?"): the
question is the who/what question it hides ("Qui a ordonné la frappe ?"), and the corpus says "oui"
when the trained reader's answer to that question, asked of the yes/no question's articles, is headed
by the one in focus and its sentence has them do it (not have it done to them: "Kim … avec Poutine,
qui l'a remercié" does not say Kim thanked Putin). A reader's answer naming someone else does not make
a "non" (several may have done it): the answer then stays "not said in these terms" with its deciding
sentences. Pure, but for :func:`hidden_answer`, :func:`confirmed_by_reader` and the parse of
:func:`does_the_deed`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from index.french import _FOLDED_STOP, fold

_LEAD = r"^(?P<lead>[^?]{3,100}?,\s*)?"  # "D'après le bilan publié en février, est-ce l'Espagne qui…"
_FR = re.compile(_LEAD + r"\s*(?:(?:et|alors|donc)\s+)?(?:est-ce\s+(?:bien\s+|vraiment\s+)?(?:que\s+|qu['’])?)?"
                 r"c['’]est\s+(?:bien\s+|vraiment\s+)?(?P<x>[^?,]{2,60}?)\s+qu(?:i\s+|['’])(?P<rest>[^?]{4,})\??\s*$"
                 r"|^(?P<lead2>[^?]{3,100}?,\s*)?\s*(?:(?:et|alors|donc)\s+)?est-ce\s+(?:bien\s+|vraiment\s+)?(?!que\b|qu['’])(?P<x2>[^?,]{2,60}?)\s+qui\s+"
                 r"(?P<rest2>[^?]{4,})\??\s*$", re.IGNORECASE)
_EN = re.compile(_LEAD + r"\s*(?:and\s+)?(?:is|was)\s+it\s+(?:really\s+|actually\s+|indeed\s+)?(?P<x>[^?,]{2,60}?)\s+"
                 r"(?:who|that|which)\s+(?P<rest>[^?]{4,})\??\s*$", re.IGNORECASE)
_NOT_FOCUS = re.compile(r"^(?:vrai|true|possible|certain|sûr|sur|confirmé|confirmed|normal|quoi|qui|what|who)\b",
                        re.IGNORECASE)


def focus_question(question: str, english: bool) -> tuple[str, str] | None:
    """(the one in focus, the who/what question the yes/no question hides), or None when the question
    puts no one in focus ("Est-ce vrai que…", "Is it true that…" are plain yes/no questions)."""
    from rag.typed import strip_opener

    m = (_EN if english else _FR).match(strip_opener(question))
    if not m:
        return None
    g = {k: v for k, v in m.groupdict().items() if v}
    x, rest, lead = g.get("x", g.get("x2", "")).strip(), g.get("rest", g.get("rest2", "")).strip(), \
        g.get("lead", g.get("lead2", ""))
    if not x or _NOT_FOCUS.match(x) or not content_words(x):
        return None
    # who for a name, a role or a body ("le préfet", "the minister"); what for a thing ("un accident")
    who = x[:1].isupper() or re.match(r"(?:le|la|les|the)\s|l['’]", x, re.IGNORECASE) is not None
    word = ("who" if who else "what") if english else ("qui" if who else "qu'est-ce qui")
    if not lead:
        word = word[:1].upper() + word[1:]
    return x, f"{lead}{word} {rest}" + ("?" if english else " ?")


# "Marine Le Pen a-t-elle quitté le FN ?", "En 2017, Le Pen a-t-elle quitté…", "Est-ce que Le Pen a quitté…"
_AUX_FR = r"(?:a|avait|aura|ont|avaient|auront)"
_SUBJECT_FR = re.compile(r"^(?:[^?]{3,100}?,\s*)?(?:(?:et|alors|donc)\s+)?(?:est-ce\s+qu(?:e\s+|['’]))?"
                         r"(?P<x>[^?,]{2,60}?)\s+(?:(?P<inv>" + _AUX_FR + r")(?:-t)?-(?:il|elle|ils|elles|on)"
                         r"|(?P<aux>" + _AUX_FR + r"))\s+(?P<rest>[^?]{3,})\??\s*$", re.IGNORECASE)


_SUBJECT_EN = re.compile(r"^(?:[^?]{3,100}?,\s*)?(?:[Aa]nd\s+)?(?:[Dd]id|[Hh]as|[Hh]ad|[Hh]ave)\s+"
                         r"(?P<x>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:(?:de|du|van|von|al|bin|of|the)\s+)?[A-Z][\w'’.-]*)*)"
                         r"\s+(?P<rest>[a-z][^?]{3,}?)\s*\??\s*$")


def subject_question(question: str, english: bool) -> tuple[str, str] | None:
    """(the subject, the who-question of its deed) of a yes/no question in the past ("Marine Le Pen
    a-t-elle quitté le FN ?" -> ("Marine Le Pen", "Qui a quitté le FN ?"); "Did Le Pen leave…" ->
    ("Le Pen", "Who leave…?"), whose verb counts through its French group), for
    :func:`does_the_deed`; None for another form, a passive ("a-t-il été élu") or a subject naming no
    one by name. "Est-ce que X a…" counts; "Est-ce bien X qui…" is :func:`focus_question`'s."""
    from rag.typed import strip_opener

    q = strip_opener(question)
    if english:  # "Did Marine Le Pen leave the party?": a capitalised subject, then the verb
        m = _SUBJECT_EN.match(q)
        if not m or m.group("rest").split()[0].lower() in ("been", "be"):
            return None
        return m.group("x"), f"Who {m.group('rest')}?"
    m = _SUBJECT_FR.match(q)
    if not m or (m.group("aux") and not re.search(r"est-ce\s+qu", q, re.IGNORECASE)):
        return None
    x, rest = m.group("x").strip(), m.group("rest").strip()
    x = re.sub(r"^(?:est-ce\s+qu(?:e\s+|['’]))", "", x, flags=re.IGNORECASE).strip()
    if re.match(r"(?:été|pu|dû|du)\b", rest, re.IGNORECASE) or not content_words(x) \
            or not re.search(r"(?:^|\s)(?!(?:Le|La|Les|L['’]|Un|Une|Des)\b)[A-ZÀ-Ý]", x):  # a name, not "Le président"
        return None
    return x, f"Qui {(m.group('inv') or m.group('aux')).lower()} {rest} ?"


def content_words(text: str) -> set[str]:
    """The folded words of ``text`` that name something (not articles, prepositions, "bien")."""
    return {w for w in (fold(t) for t in re.findall(r"[\w-]+", text))
            if len(w) > 2 and w not in _FOLDED_STOP and w not in {"bien", "vraiment", "the", "really"}}


_HEAD_END = re.compile(r",|\s(?:qui|que|qu['’]|dont|où|who|which|that|whose)\s|\s[-–(]", re.IGNORECASE)


def names_the_focus(focus: str, answer: str) -> bool:
    """The reader's answer names the one in focus: every word naming it is in the answer's head, before
    a comma or a relative clause ("Trump" in "le président américain Donald Trump"; "Le Pen" is not in
    the head of "Florian Philippot, qui est le numéro deux de Marine Le Pen"; "l'Espagne" is not
    "l'Allemagne")."""
    m = _HEAD_END.search(answer)
    want, got = content_words(focus), content_words(answer[:m.start()] if m else answer)
    return bool(want) and want <= got


def hidden_answer(corpus, wh: str, english: bool, k: int, articles=None):
    """The reader's answer (a rag Draft) to ``wh``, the who/what question a focus yes/no question hides
    (:func:`focus_question`), asked of the ``k`` passages found for that question, not for the yes/no
    question, whose passages are those naming the one in focus, right or wrong; ``articles``: only
    passages of these, the articles the yes/no question found, for the hidden question says less of
    the story. None without a reader, or when the reader finds no answer."""
    engine = getattr(corpus, "engine", None)
    if engine is None or not getattr(engine.answerer, "typed_question", False):
        return None
    from rag.question import Question

    hits = corpus.search(wh, 3 * k, english)
    hits = [h for h in hits if articles is None or h.chunk.article_id in articles][:k]
    fact = engine.answerer(Question.of(wh, wh), hits) if hits else None
    if fact is None or fact.abstained or not fact.citations:
        return None
    return fact


# the verb of the hidden question, after "a"/"avait"/"has" or alone ("Qui dirigea…"); after "est"/"était"/
# "is" ("Qui est l'actionnaire…", "qui était président…") it says what one is, not what one did: no check
_HIDDEN_VERB = re.compile(r"(?:^|,\s*)(?:qui|qu'est-ce qui|who|what)\s+(?:(?P<aux>a|ont|avait|avaient|va|aura|has|have|had|will)\s+)?"
                          r"(?!(?:est|sont|était|étaient|is|was|were|are)\b)(?P<verb>[\w'’-]+)", re.IGNORECASE)
_NAME = re.compile(r"[A-ZÀ-Ý][\w'’-]+(?:\s+(?:de\s+|du\s+|van\s+|von\s+|al-)?[A-ZÀ-Ý][\w'’-]+)*")


def does_the_deed(focus: str, hidden: str, sentence: str, group: frozenset[str] | set[str] = frozenset()) -> bool:
    """In the reader's sentence, the one in focus does what the hidden question asks: they are among
    the doers of its verb by spaCy's parse (:func:`_doers`); when the parser finds none, the name
    nearest before the verb or the agent after it ("par l'USFSA"). "Kim Jong Un s'était entretenu avec
    Vladimir Poutine, qui l'a remercié" does not say Kim thanked Putin. True when neither the verb nor
    a name before it can be found (nothing to contradict), or the one in focus is not a name ("le préfet").
    ``group``: stems of verbs of the same meaning, which the sentence may use instead ("remporté" for
    "gagné": rag/shaped/predicate.predicate)."""
    from index.french import tokenize
    from rag.shaped.predicate import _like

    m = _HIDDEN_VERB.search(hidden)
    verb = tokenize(m.group("verb")) if m else []
    if not verb:
        return True
    verbs = {verb[0], *group}
    if (m.group("aux") or "").lower() in _PAST and only_intended(sentence, verbs):
        return False  # "Orange a menacé de couper le signal" does not say Orange cut it
    if not re.search(r"[A-ZÀ-Ý]", focus):
        return True
    doers = _doers(sentence, verbs)
    if doers is not None:  # the parser found the verb and who does it
        return bool(content_words(focus) & doers)
    at = next((w.start() for w in re.finditer(r"[\w'’-]+", sentence)
               if any(_like(t, v) for t in tokenize(w.group(0)) for v in verbs)), -1)
    names = [n for n in _NAME.finditer(sentence[:at]) if n.start() > 0 or n.group(0).split()[0].lower() not in _FOLDED_STOP]
    if at < 0 or not names:
        return True
    agent = re.match(r"[\w'’-]+\s+(?:\w+\s+){0,3}?(?:par|by)\s+(?:l['’]|le\s+|la\s+|les\s+|the\s+)?([^,;.]{2,60})",
                     sentence[at:])  # "… organisé par l'USFSA": the agent comes after
    if agent and content_words(focus) & content_words(agent.group(1)):
        return True
    return bool(content_words(focus) & content_words(names[-1].group(0)))


_DOER_DEPS = {"nsubj", "obl:agent"}
_NAME_DEPS = {"flat:name", "flat", "compound"}
_PRONOUNS = {"il", "elle", "ils", "elles", "he", "she", "they"}


def _subject_above(tok):
    """The first subject, not a pronoun, of the verbs ``tok`` hangs from; else the sentence's first
    name, which a pronoun most often takes up ("Florian Philippot, qui …, a annoncé qu'il quitte…");
    None without either."""
    first = tok
    while tok.head.i != tok.i:  # spaCy makes a new Token on each access: compare positions
        tok = tok.head
        subj = [c for c in tok.children if c.dep_ == "nsubj" and c.lower_ not in _PRONOUNS]
        if subj:
            return subj[0]
    names = [t for t in first.doc if t.pos_ == "PROPN" and t.dep_ not in _NAME_DEPS]
    return names[0] if names else None


_PAST = {"a", "ont", "avait", "avaient", "has", "have", "had"}
# verbs of intention, threat, plan, attempt, refusal, ability or duty: their infinitive is no deed done
_INTENDING = """menacer menacé vouloir veut voulu envisager projeter compter souhaiter espérer tenter essayer chercher
    refuser prévoir prévu promettre promis proposer demander décider décidé pouvoir peut pu devoir doit dû aller va
    apprêter hésiter"""


def _bare(word: str) -> str:
    """A word folded, without the signs a name may carry ("Canal+" -> "canal", as :func:`content_words` reads it)."""
    return re.sub(r"[^\w-]", "", fold(word))


def only_intended(sentence: str, verbs: set[str]) -> bool:
    """Every verb of ``verbs`` (stems) in ``sentence`` is an infinitive a verb of intention governs
    ("a menacé de couper", "veut couper", "envisage de couper", "a refusé de couper"): the sentence tells
    an intention, a threat or a plan, not a deed done ("devient le premier coureur à remporter" does
    tell one). False when no such verb is found (nothing to tell), by spaCy's parse."""
    from index.french import tokenize
    from rag.shaped.predicate import _like

    found = [t for t in parsed(sentence) if t.pos_ in ("VERB", "AUX") and (st := tokenize(t.text))
             and any(_like(st[0], v) for v in verbs)]
    # an infinitive a verb of intention governs ("menacé de couper"), not "devient le premier à remporter"
    intending = _intending_stems()
    return bool(found) and all("Inf" in t.morph.get("VerbForm") and t.head.i != t.i
                               and any(_like(h, v) for h in tokenize(t.head.text)[:1] for v in intending) for t in found)


@lru_cache(maxsize=1)
def _intending_stems() -> frozenset[str]:
    from index.french import tokenize

    return frozenset(tokenize(_INTENDING))


def _antecedent(rel):
    """The name or noun a relative pronoun stands for, the nearest before it ("Anquetil, qui a
    remporté…"), at the head of its name ("Vladimir" -> "Poutine"); None without one."""
    for t in reversed(rel.doc[:rel.i]):
        if t.pos_ in ("PROPN", "NOUN"):
            return t.head if t.dep_ in _NAME_DEPS else t
    return None


@lru_cache(maxsize=256)
def parsed(sentence: str):
    """spaCy's parse of one sentence, kept: a yes/no answer checks the same deciding sentence for an
    intention, for its doers and for a verb the question alone gives (read-only Docs)."""
    from rag.spans import parse

    return parse([sentence])[0]


def _doers(sentence: str, verbs: set[str]) -> set[str] | None:
    """The folded words naming who does one of ``verbs`` (stems) in ``sentence``, by spaCy's parse: the subjects
    and agents of the verb, with the rest of their names ("Florian" + "Philippot"); the one a relative
    "qui" stands for ("Vladimir Poutine, qui l'a remercié"); None when the parser finds no such verb with a
    doer (a passive without its agent, a noun)."""
    return doers_in(parsed(sentence), verbs)


def _by_phrase(tok) -> bool:
    """``tok`` heads a phrase opened by "par"/"by" that the parser did not label as the agent ("a été
    interpellé … par des membres de la DGSI": obl:mod)."""
    return tok.dep_.startswith("obl") and any(c.dep_ == "case" and c.lower_ in ("par", "by") for c in tok.children)


def _words_under(tok, follow) -> set[str]:
    """``tok`` and the words below it along the dependencies ``follow`` accepts."""
    out, todo = set(), [tok]
    while todo:
        t = todo.pop()
        out.add(_bare(t.text))
        todo.extend(c for c in t.children if follow(c.dep_))
    return out


def _name_words(tok) -> set[str]:
    """``tok`` and the rest of its name, however deep the parser chains it ("le président Emmanuel
    Macron": président <- Emmanuel <- Macron)."""
    return _words_under(tok, lambda dep: dep in _NAME_DEPS)


def _phrase_words(tok) -> set[str]:
    """The words of the noun phrase ``tok`` heads, relative clauses left out ("des membres de la DGSI …
    assistés du Raid": membres, DGSI, Raid…)."""
    return _words_under(tok, lambda dep: dep not in ("acl:relcl", "punct"))


def doers_in(doc, verbs: set[str], unsaid_agent: bool = False, phrase: bool = False) -> set[str] | None:
    """:func:`_doers` of a parsed sentence; ``unsaid_agent``: a passive of the verb without its agent
    ("que les otages aient été libérés") counts as found, with no doer (an empty set); ``phrase``: every
    word of the doer's noun phrase (:func:`_phrase_words`), not only its name."""
    from index.french import tokenize
    from rag.shaped.predicate import _like

    out: set[str] = set()
    passive = False
    for tok in doc:
        stems = tokenize(tok.text)
        if tok.pos_ not in ("VERB", "AUX") or not stems or not any(_like(stems[0], v) for v in verbs):
            continue
        is_passive = any(c.dep_ == "aux:pass" for c in tok.children)
        doers = [c for c in tok.children if c.dep_ in _DOER_DEPS or is_passive and _by_phrase(c)]
        passive |= is_passive and not any(c.dep_ == "obl:agent" or _by_phrase(c) for c in tok.children)
        if not doers and tok.dep_ == "acl" and any(c.lower_ in ("ayant", "having") for c in tok.children):
            doers = [tok.head]  # "les personnes ayant assisté aux cérémonies": the people attended
        for d in doers:
            if d.lower_ in ("qui", "who", "which", "that"):  # the antecedent, when the parse misses the clause
                d = tok.head if tok.dep_ == "acl:relcl" else _antecedent(d) or d
            elif d.lower_ in _PRONOUNS:  # "X a annoncé qu'il quitte le parti": the subject of a verb above
                d = _subject_above(tok) or d
            out |= _phrase_words(d) if phrase or _by_phrase(d) else _name_words(d)
    return out or (set() if unsaid_agent and passive else None)


def confirmed_by_reader(corpus, focus: tuple[str, str], english: bool, k: int, articles=None):
    """The reader's answer (rag Draft) to the who/what question hidden in a focus yes/no question
    (``focus``: :func:`focus_question`), when it names the one in focus as the one who did it; else None."""
    x, wh = focus
    fact = hidden_answer(corpus, wh, english, k, articles)
    if fact is None or not names_the_focus(x, fact.short_answer or ""):
        return None
    return fact if does_the_deed(x, wh, fact.citations[0].quote) else None
