"""List answers: every distinct item the supporting sentences give, variants of one name merged,
each item cited by its sentence ("Quels dirigeants ont assisté au défilé ?" -> Xi Jinping,
Kim Jong Un, Vladimir Poutine; not Donald Trump, who only reacted to it).

Item extraction sits behind one function, :func:`list_items` (spaCy entities for now; a trained
reader's spans later). An item must come from a sentence that carries the question's predicate
(its verb, or a verb of the same meaning): an entity that is only mentioned near the topic is not
a participant. "Les deux hommes avaient assisté…" takes its people from the sentence before, and
cites both sentences as one verbatim span (``before`` gives the sentence before and the joined span).
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from index.french import fold, tokenize
from rag.answer_types import AGENT, NAME, ORG, OTHER, PERSON, PLACE, detect, question_words
from rag.glossary import with_french
from rag.shaped.corpus import Sent, is_debris
from rag.shaped.entities import _entities
from rag.shaped.predicate import _QWORDS, _holds, _stems, predicate
from rag.shaped.variants import Item, merge_variants

LABELS = {PERSON: {"PER"}, AGENT: {"PER", "ORG"}, ORG: {"ORG"}, PLACE: {"LOC"}, NAME: {"PER", "ORG", "LOC"},
          OTHER: {"PER", "ORG", "LOC"}}
_PLURAL_ANAPHOR = re.compile(r"^\s*(?:Les|Ces|Tous|Toutes)\s+(deux|trois|quatre|cinq)\b|^\s*(?:Ils|Elles|Tous deux|"
                             r"Toutes deux|Both|They)\b")
_COUNT = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5}


# People nouns the answer-type table does not know ("Avec quels coéquipiers…").
_PEOPLE = re.compile(r"\b(?:co)?(?:equipiers?|coequipiers?|compatriotes?|partenaires?|rivaux|rival|adversaires?|"
                     r"concurrents?|triathletes?|sprinteurs?|relayeurs?|allies|teammates?|athletes?|opponents?|"
                     r"elus|officials|responsables|representants|politicians|lawmakers|representatives|podiums?)\b")


# "Avec quels socialistes…", "Quels journalistes…": a noun in -iste asked for is a person (of a party,
# a trade); "quels partis populistes" is not, the -iste word there follows the noun
_ISTE = re.compile(r"\b(?:quel(?:le)?s|lesquel(?:le)?s)\s+(?:autres\s+)?\w{3,}istes\b")


# Kinds of things asked for whose names the tagger labels MISC as often as not: teams (a duo's
# name, a country's side), clubs, organisations (services, agencies, assemblies), works (songs,
# films, books: titles), media (newspapers, channels).
_ASKED = r"(?:quel(?:le)?s|lesquel(?:le)?s|which|what)\s+(?:(?:autres|other|des|les|the)\s+)?"
_KINDS = [
    (re.compile(_ASKED + r"(?:equipes|selections|teams|sides)\b"), {"ORG", "LOC", "MISC"}),  # a country's side too
    (re.compile(_ASKED + r"(?:clubs|formations)\b"), {"ORG", "MISC"}),
    (re.compile(_ASKED + r"(?:films|chansons|albums|succes|tubes|titres|livres|romans|ouvrages|oeuvres|œuvres|"
                         r"series|spectacles|pieces|songs|movies|books|novels|hits|shows|works)\b"),
     {"MISC", "ORG"}),
    (re.compile(_ASKED + r"(?:services|agences|organismes|organisations|organizations|institutions|ong|ngos|"
                         r"assemblees|parlements|agencies|bodies|parliaments|entreprises|societes|compagnies|firmes|"
                         r"groupes|marques|companies|firms|brands)\b"), {"ORG", "MISC"}),
    (re.compile(_ASKED + r"(?:medias|journaux|quotidiens|hebdomadaires|chaines|magazines|newspapers|media|outlets|"
                         r"channels)\b"), {"ORG", "MISC"}),
]


def _label_set(question: str, english: bool) -> set[str]:
    q = fold(question)
    for kind, labels in _KINDS:
        if kind.search(q):
            return set(labels)
    atype = detect(question, english)
    if atype.kind == OTHER and (_PEOPLE.search(q) or _ISTE.search(q)):
        return LABELS[PERSON]
    return LABELS.get(atype.kind, LABELS[OTHER])


def asks_for_names(question: str, english: bool = False) -> bool:
    """The list asked for is of names (people, places, organisations, teams, works, media): its
    items are capitalised; "Quels dispositifs…", "Quelles limites…" ask for common nouns (pure)."""
    q = fold(question)
    if any(kind.search(q) for kind, _ in _KINDS):
        return True
    atype = detect(question, english)
    return atype.kind in (PERSON, AGENT, ORG, PLACE) or bool(_PEOPLE.search(q) or _ISTE.search(q))


# Things whose names an article writes between quotation marks: works (« Un dimanche de janvier »),
# nicknames (« Monsieur Paul »), slogans
_TITLED = re.compile(_ASKED + r"(?:chansons|films|albums|titres(?! de (?:presse|la presse|journaux))|livres|romans|ouvrages|oeuvres|œuvres|series|spectacles|"
                     r"pieces|emissions|surnoms|sobriquets|slogans|devises|songs|movies|films|books|novels|titles|"
                     r"shows|nicknames|slogans|mottos)\b|\b(?:surnom|nickname)")
_WORDS_ONLY = re.compile(r"\b(?:surnoms?|sobriquets?|slogans?|devises?|nicknames?|mottos?)\b")
_QUOTED = re.compile(r"[«“\"]\s*([^«»\"“”]{2,80}?)\s*[»”\"]")


def asks_for_titles(question: str) -> bool:
    """The list asked for is of titles or nicknames, which articles write between quotation marks."""
    return bool(_TITLED.search(fold(question)))


def _quoted_titles(text: str) -> list[tuple[int, int, str]]:
    """The short quotations of ``text`` (a title, a nickname: at most 8 words, not a sentence)."""
    out = []
    for m in _QUOTED.finditer(text):
        t = m.group(1).strip(" ,.")
        if t and len(t.split()) <= 8 and not re.search(r"[.!?;:]\s", t):
            a = text.find(t, m.start())
            out.append((a, a + len(t), t))
    return out


# "D'après l'agence Bloomberg, …", "selon Reuters": the source of the sentence, not an item
_SOURCE = re.compile(r"\b(?:selon|d'après|d’après|according to|cité par|rapporte)\s+(?:(?:l'|l’|la|le|les|the)\s*)?"
                     r"(?:(?:agence|journal|quotidien|chaîne|site|magazine|hebdomadaire|agency|newspaper)\s+)?$",
                     re.IGNORECASE)


# "Quels candidats ont été recalés ?" asks for who underwent it: in "Larrouturou et Faudot ont été
# écartés par le premier secrétaire du PS Jean-Christophe Cambadélis", the agent after "par" is not one
_PASSIVE_Q = re.compile(r"\b(?:a|ont|avait|avaient|aurait|auraient)(?:-t-(?:il|elle|ils|elles))? ete \w+"
                        r"|\b(?:was|were|has been|have been|had been) \w+(?:ed|en)\b")
_AGENT = re.compile(r"\b(?:par|by)\s+(?:(?:le|la|les|l['’]|un|une|des|du|son|sa|ses|leur|leurs|the|a|an|its|their)\s*)?"
                    r"(?:[\w'’.-]+\s+){0,6}$", re.IGNORECASE)


KIND_NEAR = 300  # characters between a sentence naming the kind asked for and one about the topic

# the question asks who did it, as the subject of its active verb: "Qui a libéré…", "Quels pays ont signé…"
_SUBJECT_ASKED = re.compile(r"^\s*(?:qui|quel(?:le)?s?\s+[\w'’-]+(?:\s+[\w'’-]+)?)\s+(?:a|ont|avait|avaient)\s+(?!ete\b)[\w'’-]+"
                            r"|^\s*(?:who|which\s+\w+)\s+(?:(?:has|have|had)\s+)?\w+ed\b")


def doers_only(doc, found: list[tuple[int, int, str]], verb: set[str]) -> list[tuple[int, int, str]]:
    """The entities of ``found`` that the parse of their sentence ``doc`` has do the verb (in the noun
    phrase of its subject or agent: rag/shaped/focus.doers_in), when it finds who does it or that no one is said to (a passive
    without agent: "Shekau a démenti que les otages aient été libérés" names no liberator); all of
    them when the parse finds neither."""
    from rag.shaped.focus import _bare, doers_in

    doers = doers_in(doc, verb, unsaid_agent=True, phrase=True)
    if doers is None:
        return list(found)
    return [e for e in found if {_bare(w) for w in e[2].split()} & doers]


def _speaker_of_other_verb(doc, start: int, verb_stems: set[str]) -> bool:
    """The entity is the subject or agent of a verb of saying that is not the predicate
    ("…, a indiqué l'agence Chine nouvelle"): a source, not a participant."""
    tok = next((t for t in doc if t.idx == start), None)
    for _ in range(len(doc)):  # up the heads to the root (spaCy makes a new Token at each access)
        if tok is None or tok.head.i == tok.i:
            break
        below, tok = tok, tok.head
        if tok.pos_ == "VERB":
            own = _stems(tok.text)
            # only its subject or agent speaks: "ont annoncé leur soutien … comme Apple, Netflix" names
            # no source, the companies are what was announced
            if not own & _speech_stems() or own & verb_stems:
                return False
            # "», a expliqué l'entraineur Patrice Canayer": the subject after a verb set off by a comma
            # or a quotation, which the parser often reads as its object
            inverted = below.dep_ == "obj" and below.i > tok.i and _INCISE.search(doc.text[:tok.idx])
            return below.dep_ in _SPEAKER_DEPS or bool(inverted)
    return False


_INCISE = re.compile(r"[,»”\"]\s*(?:(?:a|ont|avait|avaient|aurait|auraient|a-t-(?:il|elle)|ont-ils|ont-elles)\s+)?$")
_SPEAKER_DEPS = {"nsubj", "nsubj:pass", "obl:agent", "expl:subj", "csubj"}


def _speech_stems() -> set[str]:
    if not _SPEECH:
        from rag.spans import SPEECH_VERBS

        _SPEECH.update(t for v in SPEECH_VERBS for t in _stems(v))
        _SPEECH.update(_stems("réagi répondu indiqué déclaré affirmé ajouté annoncé estimé écrit"))
    return _SPEECH


_SPEECH: set[str] = set()


def list_items(question: str, sentences: Sequence[Sent], english: bool = False,
               before: Callable[[Sent], tuple[Sent, Sent] | None] = lambda s: None, limit: int = 8) -> list[Item]:
    """The distinct items of the question's kind found in ``sentences`` (best first), each with its
    sentence; variants of one name are merged (:func:`merge_variants`)."""
    from rag.spans import parse

    verb, topic = predicate(question, english)
    atype = detect(question, english)
    pool = [s for s in sentences if not is_debris(s.text)]
    titles = asks_for_titles(question)
    if verb:
        carrying = [s for s in pool if _holds(s.text, verb)]
    else:  # no known predicate: the sentences that hold a good share of the topic …
        # (an English question's topic holds its words and their French: the best sentence sets the bar lower)
        held = {id(s): _holds(s.text, topic) for s in pool} if topic else {}
        need = max(1, min(len(topic) // 3, max(held.values(), default=0)))
        carrying = [s for s in pool if topic and held[id(s)] >= need]
        carrying = about_the_topic(carrying, topic)  # … nearly as much as the best one
        # … and, for titles, those naming the kind asked for ("Quelles chansons…": "… sa chanson Un
        # dimanche de janvier"; "Quels surnoms…": "Celui qui était surnommé « Monsieur Paul »")
        kind = _stems(with_french(atype.focus, english)) - _QWORDS if atype.focus else set()
        carrying += [s for s in pool if titles and kind and s not in carrying and _holds(s.text, kind)]
        # … and the sentence the evidence ranks first: the one naming the podium ("Le vainqueur est
        # Peter Sagan, il est suivi de…") may share few of the topic words the scene-setting ones repeat
        carrying += [s for s in pool[:1] if s not in carrying]
        if not titles and carrying:  # … and, in the best one's article, a sentence naming the kind asked
            # for: "Parmi eux, on retrouve des personnalités connues telles Liliane Bettencourt et Bernard
            # Arnault" says which of the story's people are "personnalités" in its words, not the topic's
            # (next to a sentence about the topic: "les titres de la presse … Le Figaro et Le Monde
            # baissent", further on, names other papers than those asked for)
            near = [(c.start, c.end) for c in carrying if c.article_id == carrying[0].article_id]
            carrying += [s for s in pool if kind and s not in carrying and s.article_id == carrying[0].article_id
                         and any(s.start - b <= KIND_NEAR and a - s.end <= KIND_NEAR for a, b in near)
                         and _holds(s.text, kind)]
    carrying = carrying[:8]
    if not carrying:
        return []
    labels = _label_set(question, english)
    asked = question_words(question).names
    passive = bool(_PASSIVE_Q.search(fold(question)))
    docs = parse([s.text for s in carrying])
    only_quoted = bool(_WORDS_ONLY.search(fold(question)))  # a nickname is no name of a person or place
    founds = [[(a, b, t) for a, b, t in (_quoted_titles(s.text) if titles else [])
               + ([] if only_quoted else _entities(doc, labels))
               if not _speaker_of_other_verb(doc, a, verb) and not _SOURCE.search(s.text[:a])
               and not (passive and _AGENT.search(s.text[:a]))]
              for s, doc in zip(carrying, docs)]
    if verb and _SUBJECT_ASKED.match(fold(question)):  # "Qui a libéré…": the doers of the verb, not a source
        # places asked for ("Quels aéroports ont annulé des vols ?") are as often where the deed is done
        # ("64 vols ont été annulés à l'aéroport de Toulouse"): theirs when none is its doer
        place = atype.kind == PLACE
        founds = [doers_only(doc, found, verb) or (found if place else []) for doc, found in zip(docs, founds)]
    weaker = weaker_parallels(carrying, founds, _article_strength(pool))
    items: list[Item] = []
    for i, (s, doc, found) in enumerate(zip(carrying, docs, founds)):
        if i in weaker:
            continue
        found = in_brackets_dropped(s.text, nearest_group(s.text, found, topic | verb))
        m = _PLURAL_ANAPHOR.match(s.text)
        pair = before(s) if m else None
        if pair is not None and not is_debris(pair[0].text):
            prev, joined = pair
            pdoc = parse([prev.text])[0]
            wanted = _COUNT.get((m.group(1) or "").lower(), 9)
            pents = [e for e in _entities(pdoc, labels) if not _speaker_of_other_verb(pdoc, e[0], set())][:wanted]
            shift = s.start - joined.start
            # shown: the sentence that carries the predicate ("Les deux hommes avaient assisté…")
            items.extend(Item(t, t, joined, shift) for a, b, t in pents)
            found = [(a + shift, b + shift, t) for a, b, t in found]
            s = joined
        for a, b, t in found:
            items.append(Item(t, t, s, a))
    # what the question itself names is its topic, not an item ("l'Union européenne" in "l'accord entre
    # le Canada et l'Union européenne"; "Irlande" for "Ireland"): every word of the item among its words
    said = set(question_words(question)) | (set(question_words(with_french(question, english))) if english else set())
    items = [it for it in items if not all(fold(w) in asked or fold(w) in said for w in re.findall(r"[\w-]+", it.name))]
    qwords = [fold(w) for w in re.findall(r"[\w'-]+", question) if len(w) > 4]
    items = [it for it in items if not _named_by(it.name, qwords)]  # "iranien": Iran is the topic, not an item
    return merge_variants(items, [s.text for s in carrying if s.text])[:limit]


_OPEN_BRACKET = re.compile(r"\s*\(\s*$")


def in_brackets_dropped(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``found`` without the names bracketed right after another one: "Fournès (Gard)" lists a
    village, its département in brackets says where it is (pure)."""
    ends = {b for _, b, _ in found}
    out = []
    for a, b, t in found:
        m = _OPEN_BRACKET.search(text, 0, a)
        if m and m.start() in ends and text[b:b + 1] == ")":
            continue
        out.append((a, b, t))
    return out


PARALLEL = 0.6  # share of two sentences' words, names aside, that makes them one frame


def _article_strength(sents: Sequence[Sent]) -> dict[str, float]:
    best: dict[str, float] = {}
    for s in sents:
        best[s.article_id] = max(best.get(s.article_id, 0.0), s.score)
    return best


def weaker_parallels(sents: Sequence[Sent], founds: Sequence[Sequence[tuple[int, int, str]]],
                     strength: dict[str, float]) -> set[int]:
    """Indexes of sentences to leave out: two articles telling two events of one kind in the same
    words ("l'individuel masculin (remportée par Yuzuru Hanyu)…" in one competition's report,
    "… (remportée par Mikhail Kolyada)…" in another's) give different names in one frame; the
    question names one event, so the names of the article that answers it less well are not its
    items."""
    frames = []
    for s, found in zip(sents, founds):
        names = set(tokenize(" ".join(t for _, _, t in found)))
        frames.append({t for t in _stems(s.text) if t not in names and not t.isdigit()})
    out: set[int] = set()
    kept: list[int] = []
    # the better-answering articles first; a sentence goes when it parallels one kept
    for i in sorted(range(len(sents)), key=lambda k: -strength.get(sents[k].article_id, 0.0)):
        for j in kept:
            if sents[i].article_id == sents[j].article_id or not founds[i] or not founds[j]:
                continue
            if {t for *_, t in founds[i]} == {t for *_, t in founds[j]}:
                continue  # the same names: two wire versions of one event
            shared = len(frames[i] & frames[j]) / max(1, min(len(frames[i]), len(frames[j])))
            if shared >= PARALLEL:
                out.add(i)
                break
        else:
            kept.append(i)
    return out


def _named_by(name: str, qwords: Sequence[str]) -> bool:
    """The item is what the question is about: each of its words starts a word of the question
    ("Iran" in "président iranien")."""
    words = [fold(w) for w in re.findall(r"[\w'-]+", name)]
    return bool(words) and all(len(w) >= 4 and any(q.startswith(w) and q != w for q in qwords) for w in words)


TOPIC_SHARE = 0.6  # of the best carrying sentence's hold on the question's words


def about_the_topic(sents: Sequence[Sent], topic: set[str]) -> list[Sent]:
    """When the question has no known predicate, the sentences that hold nearly as much of its
    words as the best one: a name in a sentence that only shares a word or two with the question
    is near the topic, not an item (a sentence carrying the predicate states it and is kept)."""
    if not sents or not topic:
        return list(sents)
    wanted = set(topic)
    held = [{t for t in topic if _holds(s.text, {t})} for s in sents]
    common = set.intersection(*held) if len(held) > 1 else set()  # said by every sentence: no help to choose
    score = [len(h - common) for h in held]
    top = max(score)
    if not top or len(wanted - common) == 0:
        return list(sents)
    return [s for s, h in zip(sents, score) if h >= TOPIC_SHARE * top]


_GROUP_GAP = re.compile(r"^\s*(?:,|et|and|ou|or|ainsi que|as well as)?\s*(?:(?:la|le|les|l'|l’|the)\s*)?$", re.IGNORECASE)


def nearest_group(text: str, found: Sequence[tuple[int, int, str]], stems: set[str]) -> list[tuple[int, int, str]]:
    """Of several coordinated groups in one sentence ("(comprenant la CFDT, la CFTC et l'UNSA) …
    devant le bloc « contestataire » (comprenant la CGT et FO)"), the group(s) whose lead-in holds
    most of the question's words; single names are kept as they are."""
    groups: list[list[tuple[int, int, str]]] = []
    for e in sorted(found):
        if groups and _GROUP_GAP.match(text[groups[-1][-1][1]:e[0]]):
            groups[-1].append(e)
        else:
            groups.append([e])
    multi = [g for g in groups if len(g) > 1]
    if len(multi) < 2 or not stems:
        return list(found)
    lead, last = {}, 0
    for g in groups:
        lead[id(g)] = _holds(text[last:g[0][0]], stems)
        last = g[-1][1]
    best = max(lead[id(g)] for g in multi)
    return [e for g in groups if len(g) == 1 or lead[id(g)] == best for e in g]
