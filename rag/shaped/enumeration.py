"""A list read off one sentence: the reader's answer widened to the enumeration that holds it.

Asked "Dans quels pays le vaccin est-il autorisé ?", the reader points at one span of the sentence
"… autorisé dans quatre pays : le Mexique, le Brésil, les Philippines et le Salvador." When that
span is one conjunct of a coordination ("A, B et C", "A ou encore B", "A and B"), every conjunct
is an item, whatever its kind (countries, teams, songs, organisations): the sentence states the
list itself. Pure functions; rag/shaped/list_drafts.py turns a reader draft into a list draft.

The reader's span may also be the whole enumeration ("Samopomitch ou le Parti radical", "…, comme
les emplois aidés, le CICE et le pacte de responsabilité"), or the words that announce it before a
colon ("quatre pays : le Mexique, …"): both give the same items.

Measured on `eval/gold/shapes-fit.jsonl` (20 list questions over Wikinews, a fit set): list recall
0.229 -> 0.267, precision 0.396 -> 0.442 (one conjunct); 0.425 / 0.550 with whole enumerations and
colon lists; `shapes-dev.jsonl` 0.800 / 0.781 -> 0.833 / 0.810. The first item of an enumeration
opening a long clause, two names joined by an article, and the list builder's items kept only from
the enumeration's sentence: fit precision 0.607, dev 0.876 (recall unchanged); "mais aussi": dev
recall 0.867. Held-out (`shapes-heldout.jsonl`, 5 lists, not looked at): 0.567 / 0.390 -> 0.633 / 0.510.
Items opened by ", soit" / "à savoir" / "namely", and noun phrases of up to nine words opening with an
article: `shapes-fit7.jsonl` list recall 0.229 -> 0.417; the other fit sets and every held-out set unchanged.
"""
from __future__ import annotations

import re

from index.sentences import split_sentences

# A conjunct: a short run of words without clause punctuation; the last one follows "et", "ou",
# "ou encore", "ainsi que", "and", "or" (the mark of an enumeration, not of a clause list).
_COORD = r"(?:,?\s+(?:et|ou(?:\s+encore)?|ainsi\s+que|mais\s+aussi|and|or|as\s+well\s+as|but\s+also)\s+)"
# "des A320 et des A340, mais aussi des gros porteurs A350 et A380": a second enumeration follows
_GOES_ON = re.compile(r"(?:mais\s+aussi|but\s+also)\s*$")
_ITEM_START = re.compile(r"\s*(?:(?:les|le|la|des|du|de|the|a|an|un|une)\s+|l['’]|d['’]|[A-ZÉÈÎÔ0-9])")
_SEP = re.compile(rf"{_COORD}|,\s+")
# a "?" or "!" the sentence goes on after in lowercase ends a title ("Life on Mars? en 1971"), not a clause
_STOP = re.compile(r"[;:.()«»\"“”]|[!?](?!\s+[a-zà-ÿ])|\s[–—-]\s"
                   # "les trois fleuves, soit Mocoa, Mulato et Sangoyaco": the words that open the items, as a colon
                   r"|,\s+(?:soit|à\s+savoir|c['’]est-à-dire|namely|that\s+is)\s")
_ONLY_DET = re.compile(r"^\s*(?:(?:les|le|la|des|du|de|the|a|an|un|une|en|à|au|aux|dans|chez|in|at)\s+|l['’]|d['’])*$")
# "soit Mocoa, Mulato et Sangoyaco": the word that opens the items is none of them
_OPENS_ITEMS = re.compile(r"(?:soit|à\s+savoir|namely|notamment|comme|dont)\s+")
# "Let's Dance et China Girl en 1983": a date closing an item is the sentence's, not the item's
_DATE_TAIL = re.compile(r"\s+(?:en|in|le|on)\s+(?:(?:\d{1,2}(?:er)?\s+)?[a-zéû]+\s+)?\d{4}\s*$")
# "… et la Russie entre autres", "…, Lyon, etc.": words closing an enumeration are no part of its last item
_ADVERB_TAIL = re.compile(r"(?:\s*,)?\s+(?:entre\s+autres|notamment|par\s+exemple|among\s+others|for\s+example|"
                          r"for\s+instance|etc\.?)\s*[,.]?\s*$")
# a lowercase article only: "La Ciotat", "Le Havre" keep theirs
_DET = re.compile(r"^\s*(?:(?:les|le|la|des|du|de\s+la|de|the|a|an|un|une)\s+|l'|l’|d'|d’|de\s+l'|de\s+l’)")
# where a first conjunct's own words start: after the last preposition ("installations de Béziers")
_PREP = re.compile(r"^.*\b(?:de|du|des|à|au|aux|dans|avec|par|pour|entre|dont|notamment|comme|contre|of|in|with|by|"
                   r"for|between|among|including|against)\s+", re.I)
# an auxiliary or a relative pronoun: a clause ("qui avait été à l'origine…"), not an item
_VERBISH = re.compile(r"\b(?:est|sont|a|ont|était|étaient|avait|avaient|sera|seront|is|are|was|were|has|have|had|"
                      r"qui|que|dont|où|which|who|whom|whose)\b|\bqu['’]")
_LEAD = re.compile(r"(?:comme|notamment|dont|tels?\s+que|telles?\s+que|including|such\s+as|like|especially)\b", re.I)
# "en Espagne et en France", "sur PC, PS4 et Xbox One": the preposition before an item is not part of it
_ITEM_PREP = re.compile(r"^\s*(?:en|à|au|aux|dans|chez|sur|vers|avec|pour|contre|in|at|to|for|with|against)\s+(?=\S)")
# "… al-Machad et al-Ansari dans l'est d'Alep": the last item runs on into the sentence's adjunct
_RUNS_ON = re.compile(r"\s(?:dans|sous|depuis|lors|pendant|avant|après|chez|vers|selon|par(?=\s+(?:le|la|les|l['’]|un|une|des|ses|son|sa|leurs?)\b)|during|after|before|since|under|"
                      r"within|inside)\b")
# an adverb opening an item is the sentence's, not the item's
_ITEM_ADVERB = re.compile(r"\s*(?:plus\s+généralement|plus\s+largement|notamment|surtout|en\s+particulier|particulièrement|"
                          r"également|aussi|enfin|especially|particularly|notably|also)\s+")
_OPENING_DET = re.compile(r"^\s*(?:Les|Des|Un|Une)\s")  # a sentence's first words: "Les unités d'élite des …"
MAX_WORDS = 6  # a conjunct longer than this is a clause, not an item…
MAX_NP_WORDS = 9  # …unless it opens with an article ("la lutte aux inégalités entre les quartiers")
MAX_ITEMS = 8


def _short(part: str) -> bool:
    """A conjunct short enough to be an item: a few words, or a noun phrase opening with an article."""
    n = len(part.split())
    return n <= MAX_WORDS or n <= MAX_NP_WORDS and bool(_DET.match(part) or _OPENING_DET.match(part))


def _clause(text: str, s: int, e: int) -> tuple[int, int]:
    """The stretch of ``text`` around [s, e) bounded by clause punctuation (pure)."""
    lo = max((m.end() for m in _STOP.finditer(text, 0, s)), default=0)
    m = _STOP.search(text, e)
    return lo, (m.start() if m else len(text))


def _run(short: list[bool], last_ok: list[bool], coord: list[bool], k: int) -> tuple[int, int] | None:
    """The conjuncts [i, j] of the enumeration holding conjunct ``k``: commas between short
    conjuncts, one coordinator before the last (which may run on into the clause's verb:
    ``last_ok``); None when there is none (pure). A span after a coordinator is the last item of
    the run before it or, failing that (the coordinator joined two clauses: "… du grand public et
    enchaîner les succès comme A ou encore B"), the first of the run after it."""
    if k > 0 and coord[k - 1]:
        back = _run_to(short, last_ok, coord, k, k - 1)  # the span is the last item
        if back is not None or not (k < len(coord) and short[k]):
            return back
    x = k
    while x < len(coord) and not coord[x]:
        if not short[x + 1]:
            return None
        x += 1
    if x >= len(coord):
        return None
    return _run_to(short, last_ok, coord, k, x)


def _run_to(short: list[bool], last_ok: list[bool], coord: list[bool], k: int, x: int) -> tuple[int, int] | None:
    """The run holding conjunct ``k`` whose last coordinator follows conjunct ``x`` (pure)."""
    if not last_ok[x + 1]:
        return None
    i = min(k, x)
    if not short[i]:
        return None
    while i > 0 and short[i - 1] and not coord[i - 1]:
        i -= 1
    return i, x + 1


_SHORT_QUOTE = re.compile(r"[«“\"](\s*[^«»\"“”.;:!?]{1,60}?\s*)[»”\"]")
_MASK = "\u2063"  # one character for one: offsets into the masked text are offsets into the text
_TITLE_OPENS = re.compile(rf"\s*{_MASK}[{_MASK}\s]*")  # an item opening with a title's (masked) mark


def _short_quotes_open(text: str) -> str:
    """``text`` with the marks of its short quotations (a name: « Force de réaction rapide », at most
    five words) made plain characters, so they neither end the clause nor split an item (pure)."""
    out = list(text)
    for m in _SHORT_QUOTE.finditer(text):
        if len(m.group(1).split()) <= 5:
            a, b = m.start(), m.end() - 1
            out[a] = out[b] = _MASK
            if text[a + 1:a + 2].isspace():  # "« Force": one word, not two
                out[a + 1] = _MASK
            if text[b - 1:b].isspace():
                out[b - 1] = _MASK
    return "".join(out)


_ASIDE = re.compile(r"\s\((?P<in>[^()]{1,60})\)")
_ASIDE_MASK = "\u2064"
ASIDE_WORDS = 6  # an aside in brackets of more words is a clause of the sentence


def _asides(text: str, s: int = 0, e: int | None = None) -> list[re.Match]:
    """The short asides in brackets of ``text[s:e]`` ("Fournès (Gard)", "247 Palestiniens (en majorité
    des assaillants)") (pure)."""
    return [m for m in _ASIDE.finditer(text, s, len(text) if e is None else e)
            if len(m.group("in").split()) <= ASIDE_WORDS]


def _asides_closed(text: str, s: int, e: int) -> str:
    """``text`` with its short asides made one run of plain characters, so they neither end the clause
    nor count among an item's words; not one overlapping the span [s, e) (pure)."""
    out = list(text)
    for m in _asides(text):
        if not (m.start() < e and s < m.end()):
            out[m.start():m.end()] = _ASIDE_MASK * (m.end() - m.start())
    return "".join(out)


# a name holding a particle, up to it ("Henri de" Raincourt, "Ligue des Droits de" l'Homme): the
# preposition is the name's, not one before the item's own words
_NAME_HEAD = re.compile(r"^\s*(?!(?:Des|Un|Une|En|Par|Pour|Dans|Avec|Selon)\s)(?:(?:Les|Le|La|les|le|la)\s+|[Ll]['’])?"
                        r"[A-ZÀ-Ý][\w'’.-]*"
                        r"(?:\s+(?:(?:de|des|du|la|le)\s+|d['’]|l['’])?[A-ZÀ-Ý][\w'’.-]*)*\s+(?:de|des|du)\s+$")
_NAME_TAIL = re.compile(r"(?:l['’]|d['’])?[A-ZÀ-Ý]")


# a capitalised name closing a longer part: "… une alerte ouragan pour les îles de Faial"
_NAME_END = re.compile(r"(?<=[a-zà-ÿ,:] )(?:[A-ZÀ-Ý][\w'’-]*)(?:\s+(?:(?:de|du|von|van|al|el|ben)\s+)?[A-ZÀ-Ý][\w'’-]*)*\s*$")


def _capital(part: str) -> bool:
    """The conjunct starts with a capital after its article (pure)."""
    d = _DET.match(part)
    return (part[d.end():] if d else part).strip()[:1].isupper()


_HEAD_PREP = re.compile(r"\b(?:de|des|du|d'|d’|à|aux|pour|par|avec|entre|comme|notamment|dont|of|for|by|with|between|"
                        r"including|like)\s*$")


def _closing_name(text: str, a: int, b: int, after_prep: bool = True) -> re.Match | None:
    """The capitalised name closing text[a:b] after words of the sentence (with ``after_prep``, right
    after a preposition: "… pour les îles de Faial"), or None (pure)."""
    m = _NAME_END.search(text, a, b)
    if m is None or m.start() == a or after_prep and not _HEAD_PREP.search(text, a, m.start()):
        return None
    return m


def _named_head(text: str, lo: int, seg: str, parts: list, run: tuple[int, int], coord: list[bool],
                after_prep: bool = False) -> list:
    """The first item of a run of names that the part before holds at its end, after words of the
    sentence ("pour les îles de Faial, Pico, Sao Jorge et Terceira": Faial), as [(start, end)] in
    ``text``, or [] (pure). Only when every item of the run is capitalised, commas separate them and
    that part from the run. ``after_prep``: the reader's span held several
    items and chose where they start; only a name right after a preposition is one more ("devenue le
    Zimbabwe, le Nyassaland le Malawi…" starts at Nyassaland)."""
    i = run[0]
    if i == 0 or coord[i - 1] or all(coord[i:run[1]]):  # a run of commas, not "A et B"
        return []
    if not all(_capital(seg[a:b]) for a, b in parts[i:run[1] + 1]):
        return []
    m = _closing_name(seg, *parts[i - 1], after_prep=after_prep)
    if m is None or len(m.group(0).split()) > MAX_WORDS:
        return []
    return [(lo + m.start(), lo + m.start() + len(m.group(0).rstrip()))]


def conjuncts(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Offsets (in ``text``) of the items of the enumeration holding the span [s, e), or [] when the
    span is not part of one (pure). Items lose their leading article ("le Mexique" -> "Mexique");
    the first starts where the span does when the span lies in it (the words before it belong to
    the sentence, not to the item)."""
    if len(within := split_sentences(text, s, e)) > 1:
        s = within[-1][0]  # the reader's span ran over the sentence before ("… de 2003 à 2014. Henri de Raincourt, …")
    for m in _asides(text, s, e):
        if m.start() > s:
            e = min(e, m.start())  # the span "acte III (samedi 1er décembre)": its item ends at the aside
    if s >= e:
        return []
    orig, text = text, _asides_closed(_short_quotes_open(text), s, e)
    if (m := _OPENS_ITEMS.match(text, s, e)) and m.end() < e:
        s = m.end()  # the span "soit Mocoa"
    lo, hi = _clause(text, s, e)
    if not lo <= s < e <= hi:
        return []
    seg = text[lo:hi]
    parts, coord, more, pos = [], [], [], 0
    for m in _SEP.finditer(seg):
        parts.append((pos, m.start()))
        coord.append(bool(re.search(r"(?:et|ou|encore|que|aussi|and|or|as|also)\s*$", m.group(0))))
        more.append(bool(_GOES_ON.search(m.group(0))))
        pos = m.end()
    parts.append((pos, len(seg)))
    k = next((i for i, (a, b) in enumerate(parts) if a <= s - lo < b), None)
    if k is None:
        return []
    at_item = s - lo == parts[k][0]  # the span starts where an item does (not inside a longer part)
    parts_at = parts[k][0]
    if k + 1 < len(parts) and not _LEAD.match(seg[parts[k + 1][0]:]):
        # the span starts an item inside a longer first part ("… avec ses compatriotes Powell, Blake et
        # Ashmeade"): the words before it are the sentence's. Not when the next part introduces the
        # items ("les aides à l'emploi, comme les emplois aidés, …": the span names their kind).
        parts[k] = (s - lo, parts[k][1])
    # The span may hold the enumeration itself ("Samopomitch ou le Parti radical"): its last part.
    k2 = next((i for i, (a, b) in enumerate(parts) if a < e - lo <= b), None)
    if k2 is None:
        return []
    verb = [_VERBISH.search(seg[a:b]) for a, b in parts]
    short = [_short(seg[a:b]) and not v for (a, b), v in zip(parts, verb)]
    # a last item may run on into the clause's verb: cut there ("Perpignan ont été incendiées")
    cut = [(a, a + v.start()) if v and v.start() > 0 else (a, b) for (a, b), v in zip(parts, verb)]
    # …or into a phrase of its own ("… et de l'État islamique par ses alliés"): cut there too
    runs_on = [(a, r.start()) if (r := _RUNS_ON.search(seg, a + 1, b)) and seg[a:r.start()].split() else (a, b)
               for a, b in cut]
    last_ok = [0 < len(seg[a:b].split()) <= MAX_WORDS and not (v and v.start() == 0)
               for (a, b), v in zip(runs_on, verb)]
    if k2 > k:
        run = _run(short, last_ok, coord, k2)
        if run is None or run[1] != k2 or run[0] > k2 - 1:
            return []
        if run[0] < k and not at_item:  # the span starts inside a part: its first item starts where the span does
            run = (k, run[1])  # (a span starting at an item of a longer run holds only some of its items)
    else:
        if not (short[k] or (k > 0 and coord[k - 1] and last_ok[k])):
            return []
        run = _run(short, last_ok, coord, k)
        if run is None:
            return []
        if run[0] < k and not _ONLY_DET.match(seg[parts_at:s - lo]):  # "Néanmoins, X souligne que … exclut
            run = (k, run[1])  # tout A, B ou C": the words before the span in its part belong to the sentence
    run = _goes_on(run, seg, parts, short, last_ok, coord, more)
    # a name may close the part before, unless words before the span in its own part opened the items
    # ("…, avec des troupes du Liban, d'Iran et de Syrie")
    out = [] if run[0] == k and parts[k][0] != parts_at else \
        _named_head(text, lo, seg, parts, run, coord, after_prep=k2 > k)
    names_after = run[1] > run[0] and all(_capital(seg[a:b]) for a, b in parts[run[0] + 1:run[1] + 1])
    first_prep = False
    for n, (a, b) in enumerate(parts[run[0]:run[1] + 1][:MAX_ITEMS]):
        if run[0] + n == run[1]:
            a, b = runs_on[run[1]]  # the last item, cut at the clause's verb or at a phrase of its own
        a, b = lo + a, lo + b
        if n == 0:
            first_prep = bool(_ITEM_PREP.match(text[a:b]))
            if run[0] == k:
                a = s
                if (p := _ITEM_PREP.match(text[a:b])) and p.end() < b - a:  # the span "dans Navarro ou Julie Lescaut"
                    a, first_prep = a + p.end(), False  # the later items lose theirs too
            elif (p := _PREP.match(text[a:b].split(_MASK)[0])) and p.end() < b - a and not (
                    _NAME_HEAD.match(text[a:a + p.end()]) and _NAME_TAIL.match(text, a + p.end())):  # not inside a title
                a += p.end()
        elif not first_prep and (p := _ITEM_PREP.match(text[a:b])) and p.end() < b - a:
            a += p.end()
        if (adv := _ITEM_ADVERB.match(text, a, b)) and adv.end() < b:  # "et plus généralement le tourisme"
            a = adv.end()
        for _ in range(2):  # "de l'État islamique": the preposition, then the article
            d = _DET.match(text[a:b])
            if d and d.end() < b - a:
                a += d.end()
        if (t := _DATE_TAIL.search(text, a, b)) and t.start() > a:
            b = t.start()
        if (t := _ADVERB_TAIL.search(text, a, b)) and t.start() > a:  # "la Chine et la Russie entre autres"
            b = t.start()
        if (t := _TITLE_OPENS.match(text, a, b)) and (close := text.find(_MASK, t.end(), b)) > 0:
            b = close  # a title: up to its closing mark
        if (aside := text.find(_ASIDE_MASK, a, b)) > a:  # "Alexandre Jardin (Le Zèbre) à la 79e place": the aside
            b = aside  # ends the item
        while b > a and text[b - 1] in " ,»”\"" + _MASK:
            b -= 1
        while a < b and text[a] in " «“\"" + _MASK:  # a title's quotation marks are not its words
            a += 1
        if orig.count("«", a, b) > orig.count("»", a, b) and orig[b:b + 2].strip() == "»":
            b = orig.index("»", b) + 1  # "des « Force de réaction rapide »": the title's marks stay paired
        if n == 0 and names_after and not _capital(text[a:b]) and (m := _closing_name(text, a, b)):
            a = m.start()  # "îles de Faial, Pico…": the kind's words before the first name are not its name
        if b > a:
            out.extend(_gapped(text, a, b))
    return out if len(out) >= 2 else []


def _goes_on(run, seg, parts, short, last_ok, coord, more) -> tuple[int, int]:
    """The run widened over the enumerations that follow it after "mais aussi" / "but also", each of
    items that start like names or noun phrases (pure)."""
    i, j = run
    while j < len(more) and more[j] and _ITEM_START.match(seg[parts[j + 1][0]:parts[j + 1][1]]):
        nxt = j + 1
        if nxt + 1 < len(parts) and coord[nxt] and not more[nxt] and short[nxt] and last_ok[nxt + 1]:
            j = nxt + 1  # "…, mais aussi C et D"
        elif last_ok[nxt] and (nxt == len(coord) or not coord[nxt]):
            j = nxt  # "…, mais aussi C"
        else:
            break
    return i, j


_NAME = r"[A-ZÉÈÎÔ][\w'’.-]*(?:\s+[A-ZÉÈÎÔ][\w'’.-]*)*"
_GAP = re.compile(rf"({_NAME})\s+(?:la|le|les|l['’])\s*({_NAME})")


def _gapped(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Two names in one conjunct joined by an article: a comma left out ("l'Iran, l'Irak la Syrie et
    le Liban") or a verb left out ("la Rhodésie est devenue le Zimbabwe, le Nyassaland le Malawi"):
    two items (pure)."""
    m = _GAP.fullmatch(text, a, b)
    if not m:
        return [(a, b)]
    return [(m.start(1), m.end(1)), (m.start(2), m.end(2))]


# a colon, or the words that give examples of the kind the span names ("des dégâts matériels des
# résidences, comme le revêtement extérieur, les fondations…")
_LEAD_IN = re.compile(r"\s*:\s*|,\s+(?:comme|notamment|tel(?:le)?s\s+que|such\s+as|including)\s+")


def listed_after(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The items of an enumeration introduced by the span [s, e) and a colon ("quatre pays : le
    Mexique, le Brésil, les Philippines et le Salvador") or "comme" / "notamment" / "such as", or []
    (pure)."""
    m = _LEAD_IN.match(text, e)
    if not m or m.end() >= len(text):
        return []
    start = m.end()
    stop = _SEP.search(text, start)
    if not stop:
        return []
    return conjuncts(text, start, stop.start())


# "Selon ces derniers, Paris et Marseille…": a source opening the sentence is no item
_SOURCE_ITEM = re.compile(r"\s*(?:selon|d['’]après|according to)\b", re.IGNORECASE)


def items_of(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The enumeration holding the span, or the one it introduces, without a source phrase taken for
    its first item (pure)."""
    items = conjuncts(text, s, e) or listed_after(text, s, e)
    return [(a, b) for a, b in items if not _SOURCE_ITEM.match(text[a:b])]
