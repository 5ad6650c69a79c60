"""Why and how answers: the sentence giving the cause, purpose or manner, chosen among the evidence's
best sentences and those beside the best-scored one by the trained reason ranker (rag/shaped/reason_model.py)
or the hand rules (rag/shaped/reasons.py), with the sentence that names the cause or tells the reaction
outright, and the ranker's next candidate when it hesitates. A mixin of rag/shaped.ShapedAnswerer (it
uses its corpus and its ``before``/``after`` helpers).
"""
from __future__ import annotations

import re
from typing import Sequence

from rag import tuned
from rag.shapes import CAUSE, MANNER
from rag.shaped.corpus import Sent, cite, is_debris
from rag.shaped.text import Cites, excerpt_of, quoted

REASON_POOL, REASON_SHARE = 8, 0.5  # a why/how answer's candidates: the best sentences, and their share of the best
EXPLAINED_WITHIN = 4  # sentences after an event where one pointing back at it may explain it


def _just_after_event(text: str, at: int, events) -> bool:
    """The connective at ``at`` follows a word of the event within a few characters ("découverte grâce
    à", "ouvert le feu à l'aide d'"), not a verb of another clause (pure)."""
    from index.french import tokenize
    from rag.shaped.predicate import _like

    for m in re.finditer(r"\w+", text[:at]):
        if 0 <= at - m.end() <= JUST_AFTER and any(
                t == o or _like(t, o) for t in tokenize(m.group(0)) for fam in events for o in fam):
            return True
    return False


JUST_AFTER = 3  # characters between the event's word and its connective: a space, a comma


class WhyHow:
    def reason(self, shape, question, hits, ranked, english):
        from rag.shaped import reason_model
        from rag.shaped.reasons import ANAPHOR, asks_reaction, reasons

        top = ranked[0].score
        ranker = reason_model.for_engine(getattr(self.corpus, "engine", None))
        most, share = ranker.pool if ranker is not None else (REASON_POOL, REASON_SHARE)
        pool = [s for s in ranked[:most] if s.score >= share * top]
        if ranker is not None:  # the cause is often told just before or after the sentence of the event
            pool += self.beside_top(ranked, pool)
        if shape == MANNER and asks_reaction(question):  # "… Frédéric Lefebvre … tentaient de faire barrage.
            # Ce dernier en appelle au Pape François": the reaction follows the sentence naming who reacted
            seen = {(s.article_id, s.start) for s in pool}
            pool += [n for s in pool[:3] for n in self.after(s, 1)
                     if ANAPHOR.match(n.text) and (n.article_id, n.start) not in seen]
        told = self.told_with_reason(question, ranked, pool, shape == MANNER, english)
        pool += told
        found, sure = reasons(question, pool, manner=shape == MANNER, english=english), 1.0
        if ranker is not None:
            found, sure = ranker.order(question, found, shape == MANNER, english)
        if found and found[0].surface is None:  # the ranker's first gives no cause or manner: a sentence
            # writing the question's event with one comes first
            keys = {(x.article_id, x.start) for x in told}
            lift = [r for r in found if (r.sent.article_id, r.sent.start) in keys and r.surface]
            if lift:
                found = [lift[0], *(r for r in found if r is not lift[0])]
        if not found:
            return None
        best = found[0]
        from rag.shaped.reasons import CONSEQUENCE, POINTS_BACK
        from rag.shaped.said import PRONOUN_SPEAKER

        back = best.surface is None and shape == CAUSE and POINTS_BACK.search(best.sent.text)
        if best.surface is None and shape == CAUSE and not back:
            best = self._explained_next(question, best, english)
        s, at = best.sent, best.at
        surface = best.surface
        if best.surface is None and (CONSEQUENCE.search(s.text) or shape == MANNER and PRONOUN_SPEAKER.search(s.text)):
            pair = self.before(s)
            if pair:
                at += s.start - pair[1].start
                s = pair[1]
                if back:  # "… en raison de X. Pour cette raison, …": X is the cause
                    prev = reasons(question, [pair[0]], english=english)
                    if prev and prev[0].surface:
                        surface, at = prev[0].surface, prev[0].at
        c = cite(self.corpus, s.article_id, s.start, s.end, s.score, surface)
        if c is None:
            return None
        cites = Cites()
        n = cites.add(c)
        head = f"{surface} — " if surface else ""
        text = f"{head}{quoted(c.quote, at, len(surface or ''), 260)} [{n}]"
        named = self._cause_named(question, ranked, (s.start, s.end), english) if shape == CAUSE else \
            self._reaction_named(question, ranked, s) if asks_reaction(question) else None
        if named is not None:  # the article also names the cause (or tells the reaction) outright: both are shown
            c2 = cite(self.corpus, named.sent.article_id, named.sent.start, named.sent.end, named.sent.score,
                      named.surface)
            if c2 is not None:
                head2 = f"{named.surface} — " if named.surface else ""
                text += f" ; {head2}{quoted(c2.quote, named.at, len(named.surface or ''), 260)} [{cites.add(c2)}]"
        elif shape == CAUSE and (nxt := self._goes_on(s)) is not None:  # the explanation often runs on
            c2 = cite(self.corpus, nxt.article_id, nxt.start, nxt.end, s.score)
            if c2 is not None:
                text += f" ; {quoted(c2.quote, 0, 0, 260)} [{cites.add(c2)}]"
        if sure < tuned.REASON_UNSURE:  # the ranker hesitates: its next candidate is shown too
            text += self._also(found[1:], cites, english)
        return text, cites, surface

    def _also(self, found, cites: Cites, english: bool = False) -> str:
        """The ranker's next candidate not yet cited (a cause is often told in two places: "… afin de
        rétablir le courant" and "… en raison de la tempête"), cited and pointed to briefly after the
        answer ("voir aussi : « en raison de la tempête » [2]"; its marker opens the sentence), so the
        first answer stays the short one."""
        taken = [(c.article_id, c.start, c.end) for c in cites.items]
        for r in found:
            x = r.sent
            if any(a == x.article_id and x.start < e and b < x.end for a, b, e in taken):
                continue
            c = cite(self.corpus, x.article_id, x.start, x.end, x.score, r.surface)
            if c is None:
                continue
            also, colon = ("see also", ":") if english else ("voir aussi", " :")
            clause = f"{colon} « {' '.join(excerpt_of(r.surface, 90).split())} »" if r.surface else ""
            return f" ; {also}{clause} [{cites.add(c)}]"
        return ""

    def beside_top(self, ranked: list[Sent], taken: Sequence[Sent] = ()) -> list[Sent]:
        """The sentences just before and just after the best-scored one in its article (not in ``taken``),
        with their evidence score when they were scored (0 otherwise): "Le festival a été annulé. Les
        organisateurs invoquent une alerte aux orages." The reason ranker weighs them by that position."""
        if not ranked:
            return []
        top, seen = ranked[0], {(s.article_id, s.start) for s in taken}
        score = {(s.article_id, s.start): s.score for s in ranked}
        pair = self.before(top)
        out = []
        for x in ([pair[0]] if pair else []) + self.after(top, 1)[:1]:
            if (x.article_id, x.start) not in seen and not is_debris(x.text):
                out.append(Sent(x.article_id, x.start, x.end, x.text, score.get((x.article_id, x.start), 0.0), x.index))
        return out

    def told_with_reason(self, question, ranked, taken: Sequence[Sent], manner: bool, english: bool) -> list[Sent]:
        """The sentences of the top article, however they score, that write the question's event and
        give it a cause or manner by a connective ("elle a été découverte grâce à la DECam", for
        "Comment … a-t-elle été découverte ?"): a pronoun or a source ("Selon …") keeps them low."""
        from index.french import tokenize
        from rag.shaped.event import event_of, states
        from rag.shaped.reasons import reasons

        events = event_of(question, english) if ranked else []
        if not events:
            return []
        lead, seen = ranked[0].article_id, {(s.article_id, s.start) for s in taken}
        told = [x for x in ranked if x.article_id == lead and (x.article_id, x.start) not in seen
                and states(events, set(tokenize(x.text)))]
        return [r.sent for r in reasons(question, told, manner=manner, english=english)
                if r.surface and _just_after_event(r.sent.text, r.at, events)]

    def _goes_on(self, s: Sent) -> Sent | None:
        """The sentence after ``s`` in its paragraph, when there is one that states something."""
        art = self.corpus.article(s.article_id)
        nxt = self.after(s, 1)
        if art is None or not nxt or "\n" in art.text[s.end:nxt[0].start] or is_debris(nxt[0].text):
            return None
        return nxt[0]

    def _cause_named(self, question, ranked, taken: tuple[int, int], english):
        """A sentence of the top article that names the cause outright ("Les raisons évoquées sont…",
        "… s'explique par…", "X est l'explication de…"), however it scores against the question's
        words (it often shares few of them): the answer's second sentence, unless it is the first."""
        from rag.shaped.reasons import CAUSE_AHEAD, CAUSE_BEHIND, reasons

        lead = ranked[0].article_id
        marked = [x for x in ranked if x.article_id == lead and not (x.start < taken[1] and taken[0] < x.end)
                  and (CAUSE_AHEAD.search(x.text) or CAUSE_BEHIND.search(x.text))]
        found = reasons(question, marked, english=english)
        return found[0] if found else None

    def _reaction_named(self, question, ranked, taken: Sent):
        """"Comment Arnaud Montebourg a-t-il réagi…": the first sentence of the top article, other than
        the one cited, that tells a reaction (rag/shaped/reasons.REACTION_RE) of the one asked about,
        named or taken up right after being named ("Ce dernier en appelle au pape…"), however few of the
        question's other words it shares; None without such a sentence or a name to look for, or when
        the sentence cited already tells a reaction of theirs."""
        from rag.shaped.reasons import ANAPHOR, REACTION_RE, Reason, _of_subject, _subject_words, names_subject

        subject = _subject_words(question)
        if not subject or REACTION_RE.search(taken.text) and _of_subject(taken.text, subject):
            return None  # no name to look for, or the sentence cited already tells their reaction
        score = {(x.article_id, x.start): x.score for x in ranked}
        named_before = False
        for x in self.corpus.sentences(ranked[0].article_id):
            names = names_subject(x.text, subject)
            told = names or named_before and ANAPHOR.match(x.text)
            named_before = bool(told)  # "Arnaud Montebourg … Depuis des années, il défend … Très peu de temps
            # après, il annonce son soutien": the pronoun keeps them the subject while it goes on
            if is_debris(x.text) or not told or x.article_id == taken.article_id and x.start < taken.end and taken.start < x.end:
                continue
            if (m := REACTION_RE.search(x.text)) is not None:
                sent = Sent(x.article_id, x.start, x.end, x.text, score.get((x.article_id, x.start), 0.0), x.index)
                return Reason(sent, sent.score, None, m.start())
        return None

    def _explained_next(self, question, best, english):
        """A sentence that only states the event is often explained by the next one ("Une cheminée se
        dresse à Xian. Elle sert à purifier l'air."): when that one holds a connective of cause or
        purpose, both are cited as one span, the cause from the connective on. A little further on,
        a sentence that points back to the event ("Cette mesure est prise pour des raisons de
        sécurité") explains it too: it is cited alone."""
        from rag.shaped.reasons import POINTS_TO_EVENT, Reason, reasons

        later = self.after(best.sent, EXPLAINED_WITHIN)
        nxt = reasons(question, later[:1], english=english)
        if nxt and nxt[0].surface:
            pair = self.before(nxt[0].sent)
            if pair is not None and pair[0].start == best.sent.start:
                joined = pair[1]
                return Reason(joined, best.score, nxt[0].surface, nxt[0].at + nxt[0].sent.start - joined.start)
        further = [x for x in later[1:] if POINTS_TO_EVENT.match(x.text)]
        found = [r for r in reasons(question, further, english=english) if r.surface]
        return Reason(found[0].sent, best.score, found[0].surface, found[0].at) if found else best
