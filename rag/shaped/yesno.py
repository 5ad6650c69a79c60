"""The yes/no answer: the sentences that decide, and "oui"/"non" only when one of them states it.

"Trump a-t-il assisté au défilé ?" -> "Le corpus ne le dit pas en ces termes ; les phrases qui en
décident : « … » [1] « … » [2]"; "Trump a-t-il assisté au défilé ?" asked of an article saying "Donald
Trump a assisté au défilé" -> "Oui, selon le corpus : « … » [1]". The verdict is the hand rule's
(rag/shaped/said.deciding: oui or non only when one sentence names the subject with the
predicate); the sentences shown are chosen by the trained chooser (rag/shaped/yesno_model.py), the
rule's deciding sentence first when it decides. Without the chooser (switched off or absent), the
rule's own ordering shows.
"""
from __future__ import annotations

import re

from rag.shaped.corpus import cite, is_debris
from rag.shaped.text import Cites, quoted, words

SHOWN = 3  # deciding sentences shown: the one that decides, then the next best as context


def by_rule(question: str, pool: list, english: bool, parts: dict | None = None, context=None,
            hidden: set[str] | None = None) -> tuple[str, list]:
    """(verdict, deciding sentences) by the hand rule (rag/shaped/said.deciding); ``parts``: the
    question read by rag/shaped/yesno_model.question_parts, when already read; ``context``: article
    id -> the folded words of its title and lead, where the names a deciding sentence lacks may stand;
    ``hidden``: :func:`hidden_verb` of the question, when already read."""
    from rag.shaped.said import deciding
    from rag.shaped.yesno_model import question_parts

    parts = parts or question_parts(question, english)
    names, verb, own, topic = parts["names"], parts["verb"], parts["own"], parts["topic"]
    if not own and not verb and OWN_FROM_HIDDEN:  # no verb the rule knows: the one of the question it hides
        own = hidden if hidden is not None else hidden_verb(question, english)
    # "gagné", not "médaille"; a verb of no known group ("rouvert") decides by itself
    strict = own & verb or (own if not verb else None) or None
    subject = subject_stems(question, english) if CONTEXT_NAMES else set()
    return deciding(question, pool, names, verb or topic, topic, strict=strict, decide=bool(strict or verb),
                    subject=subject, context=context)


OWN_FROM_HIDDEN = True  # "Est-ce bien X qui a décidé…", "Est-ce que X a racheté…": the verb of the question they hide


def hidden_verb(question: str, english: bool) -> set[str]:
    """Stems of the verb of a French yes/no question the inversion rule misses: the focus form's
    ("Est-ce bien Macron qui a décidé du prêt ?" -> {"decid"}) or "Est-ce que X a V…" (the word after
    the auxiliary); an empty set otherwise."""
    from index.french import tokenize
    from rag.shaped.focus import _HIDDEN_VERB, focus_question, subject_question
    from rag.typed import strip_opener

    if english:
        return set()
    hidden = focus_question(question, english) or subject_question(question, english)
    m = _HIDDEN_VERB.search(hidden[1]) if hidden else _EST_CE_QUE.match(strip_opener(question))
    return set(tokenize(m.group("verb"))[:1]) if m else set()


# "Est-ce que la police a lancé une enquête ?": the word after the auxiliary (not "été")
_EST_CE_QUE = re.compile(r"^(?:[^?]{3,100}?,\s*)?(?:et\s+)?est-ce\s+qu(?:e\s+|['’])(?P<x>[^?]{2,80}?)\s+(?:a|ont|avait|avaient)\s+"
                         r"(?!été\b|eu\b)(?P<verb>[\w'’-]+)", re.IGNORECASE)


def hidden_subject(question: str, doer: tuple[str, str] | None) -> str:
    """Who the question asks about for :func:`done_by`: the one in focus or the named subject
    (``doer``), else the subject of "Est-ce que X a V…" ("la police"); "" when none is found."""
    from rag.typed import strip_opener

    if doer is not None:
        return doer[0]
    m = _EST_CE_QUE.match(strip_opener(question))
    return m.group("x") if m else ""


def done_by(who: str, verbs: set[str], sentence: str) -> bool:
    """The parse of ``sentence`` finds one of ``verbs`` done by ``who`` (in its subject or agent
    phrase): a verb taken from the question alone ("qui entraîne…") must be the sentence's verb, not a
    noun of its family ("le premier entraîneur du Club olympique…")."""
    from rag.shaped.focus import content_words, doers_in, parsed

    doers = doers_in(parsed(sentence), verbs, phrase=True)
    return bool(doers) and bool(content_words(who) & doers)


CONTEXT_NAMES = True  # a deciding sentence may leave the question's names to its article's title and lead
_INVERTED_SUBJECT = re.compile(r"^(?:[^?]{3,100}?,\s*)?(?:(?:et|alors|donc)\s+)?(?P<x>[^?,]{2,80}?)\s+[\w'’-]+-(?:t-)?"
                               r"(?:il|elle|ils|elles|on)\b")


def subject_stems(question: str, english: bool) -> set[str]:
    """Stems of a French inverted question's subject ("Les chauffeurs ont-ils été placés…" ->
    {"chauffeur"}), or an empty set (English, another form)."""
    from index.french import _FOLDED_STOP, tokenize
    from rag.typed import strip_opener

    m = None if english else _INVERTED_SUBJECT.match(strip_opener(question))
    if not m:
        return set()
    return {t for t in tokenize(m.group("x")) if t not in _FOLDED_STOP and len(t) > 2}


def lead_words(corpus, article_id: str, sentences: int = 2) -> set[str]:
    """The folded words of an article's title and first ``sentences`` sentences (its dateline aside)."""
    from index.french import fold

    art = corpus.article(article_id)
    if art is None:
        return set()
    lead = " ".join([s.text for s in corpus.sentences(article_id) if len(s.text) > 30][:sentences])  # not "11 février 2016."
    return {fold(w) for w in re.findall(r"[\w'-]+", f"{art.title} {lead}")}


def chosen(model, question: str, pool: list, ranked: list[bool], english: bool, first: list,
           parts: dict | None = None) -> list:
    """The ``SHOWN`` sentences of ``pool`` the chooser puts first (debris left out), after ``first``
    (the rule's deciding sentence, when it decides)."""
    keep = [i for i, s in enumerate(pool) if not is_debris(s.text)]
    sents = [pool[i] for i in keep]
    order = model.order(question, english, sents, [ranked[i] for i in keep], parts) if sents else []
    out = list(first)
    for i in order:
        if len(out) >= SHOWN:
            break
        if all((sents[i].article_id, sents[i].start) != (s.article_id, s.start) for s in out):
            out.append(sents[i])
    return out


def yesno(answerer, question: str, ranked: list, english: bool, k: int = 5):
    """(text, cites, short answer) of a yes/no question, or None when no sentence can be cited; a
    question putting a name in focus ("Est-ce bien Donald Trump qui…", rag/shaped/focus.py) is also
    asked as the who/what question it hides, of ``k`` passages."""
    from rag.shaped import yesno_model
    from rag.shaped.corpus import Sent
    from rag.shaped.focus import confirmed_by_reader, does_the_deed, focus_question, subject_question

    pool, is_ranked = answerer.yesno_pool(ranked)
    parts = yesno_model.question_parts(question, english)  # the question parsed once, for rule and chooser
    leads: dict[str, set[str]] = {}

    def context(aid: str) -> set[str]:
        if aid not in leads:
            leads[aid] = lead_words(answerer.corpus, aid)
        return leads[aid]

    own = hidden_verb(question, english) if OWN_FROM_HIDDEN and not parts["own"] and not parts["verb"] else set()
    verdict, sents = by_rule(question, pool, english, parts, context, own)
    engine = getattr(answerer.corpus, "engine", None)
    focus = focus_question(question, english)
    doer = focus if focus is not None else subject_question(question, english)
    if verdict != "unsaid" and (doer is not None and not does_the_deed(*doer, sents[0].text, parts["verb"])
                                or own and not done_by(hidden_subject(question, doer), own, sents[0].text)):
        # "(Est-ce bien) Le Pen (qui) a quitté le FN ?": the rule's sentence names her, but Philippot left
        verdict, sents = "unsaid", [*sents, *(s for s in pool if s is not sents[0])][:SHOWN]
    if verdict == "unsaid" and focus is not None and \
            (fact := confirmed_by_reader(answerer.corpus, focus, english, k, {s.article_id for s in ranked})) is not None:
        c = fact.citations[0]  # the sentence the reader found the one in focus in decides
        verdict, sents = "yes", [Sent(c.article_id, c.start, c.end, c.quote, ranked[0].score if ranked else 1.0, -1)]
    model = yesno_model.for_engine(engine)
    if model is not None:
        sents = chosen(model, question, pool, is_ranked, english, sents if verdict != "unsaid" else [], parts)
    w = words(english)
    cites, parts = Cites(), []
    for s in sents:
        c = cite(answerer.corpus, s.article_id, s.start, s.end, s.score)
        if c is not None:
            parts.append(f"{quoted(c.quote, 0, 0, 220)} [{cites.add(c)}]")
    if not parts:
        return None
    intro = {"yes": w["yes"], "no": w["no"]}.get(verdict, w["not_said"])
    short = {"yes": "oui" if not english else "yes", "no": "non" if not english else "no"}.get(verdict)
    return f"{intro} " + " ".join(parts), cites, short
