"""Rules for short answers that need no parser: dates, relative days, numbers, money, percentages.

Offsets of a :class:`Span` are relative to the sentence; ``text == sentence[start:end]``.
Relative days ("mardi", "hier") are resolved against the article's date ("mardi" in a dispatch of
Thursday 4 Sept 2025 -> "mardi 2 septembre 2025"). Pure functions.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from index.french import fold
from rag.answer_types import DATE, DAY, MONEY, NUMBER, PERCENT, YEAR, AnswerType
from rag.words import DAYS_EN, DAYS_FR, MONTHS_EN, MONTHS_FR  # noqa: F401 - DAYS_FR also read by importers

# ---- dates -------------------------------------------------------------------------------------
_MONTH_NUM = {fold(m): i + 1 for i, m in enumerate(MONTHS_FR)}
_MONTH_RE = "|".join(sorted({*MONTHS_FR, *(fold(m) for m in MONTHS_FR)}, key=len, reverse=True))
_DAY_RE = "|".join(DAYS_FR)
_RELATIVE = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "aujourd’hui": 0, "demain": 1,
             "après-demain": 2}

_FULL_DATE = re.compile(
    rf"\b(?:(?:{_DAY_RE})\s+)?(1er|\d{{1,2}})\s+({_MONTH_RE})(?:\s+(\d{{4}}))?\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\s+(\d{{4}})\b", re.IGNORECASE)
# Periods longer than a year: "au XVIe siècle", "fin du 19e siècle", "les années 1960".
_CENTURY = re.compile(r"\b(?:(?:début|fin|milieu)\s+du\s+)?(?:[IVX]{1,5}|\d{1,2})(?:e|er|ème|ᵉ)\s+siècles?"
                      r"(?:\s+av(?:ant|\.)\s*J\.?-C\.?)?")
_DECADE = re.compile(r"\bannées\s+(?:19|20|18)?\d0\b")
_YEAR_RE = re.compile(r"(?<![\d,.])(?<!\d[\u00a0\u202f ])\b(1[0-9]\d\d|20\d\d)\b(?!\d|\s?%|[,.]\d|[\u00a0\u202f ]\d{3})")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(rf"\b({_DAY_RE})(?:\s+(dernier|prochain|soir|matin|midi|après-midi))?\b", re.IGNORECASE)
_REL_DAY = re.compile(r"\b(avant-hier|après-demain|hier|aujourd['’]hui|demain)\b", re.IGNORECASE)

# ---- numbers -----------------------------------------------------------------------------------
_NUM = r"(?<![\w,.])(?:\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+)(?:[,.]\d+)?(?![\w])"
_SCALE = r"(?:\s+(?:millions?|milliards?|mille|billions?|thousand|trillions?|Mds?|M))?"
_CURRENCY = (r"(?:\s*(?:de\s+|d['’])?(?:dollars?|euros?|€|\$|livres?(?:\s+sterling)?|francs?(?:\s+(?:suisses|CFA))?|"
             r"yens?|yuans?|roupies?|roubles?|couronnes?|dinars?|dirhams?|pesos?|réals?|reais|USD|EUR)"
             r"(?:\s+(?:US|américains|canadiens|australiens|de Hong Kong))?)")
_MONEY = re.compile(rf"(?:(?:US)?\$\s?|€\s?)?{_NUM}{_SCALE}{_CURRENCY}|(?:US)?\$\s?{_NUM}{_SCALE}|€\s?{_NUM}{_SCALE}",
                    re.IGNORECASE)
_PERCENT = re.compile(rf"{_NUM}\s*(?:%|pour\s?cent|pourcent|percent|points?\s+de\s+pourcentage)", re.IGNORECASE)
_NUMBER = re.compile(rf"{_NUM}(?:\s+sur\s+\d+)?{_SCALE}")
_WORD_NUMBERS = ("deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
                 "vingt trente quarante cinquante soixante cent mille dizaine douzaine quinzaine vingtaine "
                 "centaine milliers").split()
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")(?:[- ](?:et[- ])?(?:un|deux|trois|quatre|cinq|six|"
                          r"sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|cents?))*\b",
                          re.IGNORECASE)
_UNIT_STOP = {"de", "d", "du", "des", "le", "la", "les", "l", "en", "à", "a", "au", "aux", "et", "ou", "sur",
              "par", "pour", "dans", "qui", "que", "ans", "selon", "contre", "avec", "sont", "est", "ont"}

@dataclass(frozen=True)
class Span:
    start: int  # offsets in the sentence
    end: int
    text: str  # == sentence[start:end]
    kind: str  # PER ORG LOC MISC NUM MONEY PERCENT DATE DAY YEAR
    score: float  # how well it fits the question, 0..~1.6 (type fit + role bonuses)
    value: str | None = None  # a rendering that is not verbatim (a resolved day); else None
    fit: float | None = None  # the type fit alone (score - fit = bonuses for agent, speaker, focus)
    aligned: bool = False  # agent of a verb of the question's kind ("décrit" for "qui a critiqué")

    @property
    def type_fit(self) -> float:
        return self.score if self.fit is None else self.fit

    @property
    def bonus(self) -> float:
        return 0.0 if self.fit is None else self.score - self.fit

    @property
    def answer(self) -> str:
        return self.value or self.text


# ---- date helpers -----------------------------------------------------------------------------------
def render_date(d: dt.date, english: bool = False, weekday: bool = True) -> str:
    if english:
        return f"{DAYS_EN[d.weekday()] + ' ' if weekday else ''}{d.day} {MONTHS_EN[d.month - 1]} {d.year}"
    day = "1er" if d.day == 1 else str(d.day)
    return f"{DAYS_FR[d.weekday()] + ' ' if weekday else ''}{day} {MONTHS_FR[d.month - 1]} {d.year}"


def resolve_day(word: str, article_date: str | None, future: bool = False) -> dt.date | None:
    """The date a relative day word means in an article of ``article_date`` (YYYY-MM-DD).

    Weekdays point to the latest such day on or before the article date ("jeudi" in a Thursday
    dispatch is that day), or the next one for a future verb or "prochain"; "dernier" goes back a week
    when it would otherwise be the article's own day.
    """
    if not article_date:
        return None
    try:
        base = dt.date.fromisoformat(article_date)
    except ValueError:
        return None
    w = fold(word.lower()).replace("’", "'").split()
    if not w:
        return None
    head = w[0]
    for rel, delta in _RELATIVE.items():
        if head == fold(rel):
            return base + dt.timedelta(days=delta)
    if head not in DAYS_FR:
        return None
    target = DAYS_FR.index(head)
    qualifier = w[1] if len(w) > 1 else ""
    if future or qualifier == "prochain":
        delta = (target - base.weekday()) % 7 or 7
        return base + dt.timedelta(days=delta)
    delta = (base.weekday() - target) % 7
    if qualifier == "dernier" and delta == 0:
        delta = 7
    return base - dt.timedelta(days=delta)


_FUTURE = re.compile(r"\b(?:\w+(?:ra|ront|rai|ras|rons|rez)|doit|doivent|devrait|devraient|prévu\w*|va|vont)\b",
                     re.IGNORECASE)


def _time_spans(sentence: str, atype: AnswerType, article_date: str | None) -> list[Span]:
    out: list[Span] = []
    taken: list[tuple[int, int]] = []

    def add(s, e, kind, score, value=None):
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        out.append(Span(s, e, sentence[s:e], kind, score, value))

    kind = atype.kind
    for m in _FULL_DATE.finditer(sentence):
        year = m.group(3)
        if kind == YEAR and year:
            add(m.start(3), m.end(3), "YEAR", 1.0)
            continue
        score = {DATE: 1.0 if year else 0.85, DAY: 0.95, YEAR: 0.3}.get(kind, 0.5)
        value = None
        if kind in (DAY, DATE) and not year and article_date:
            try:
                month = _MONTH_NUM[fold(m.group(2).lower())]
                day = 1 if m.group(1).lower() == "1er" else int(m.group(1))
                d = dt.date(int(article_date[:4]), month, day)
                value = render_date(d, atype.english)
            except (ValueError, KeyError):
                value = None
        add(m.start(), m.end(), "DATE", score, value)
    for m in _ISO_DATE.finditer(sentence):
        if kind == YEAR:
            add(m.start(1), m.end(1), "YEAR", 0.9)
            continue
        try:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        add(m.start(), m.end(), "DATE", {DATE: 0.9, DAY: 0.8}.get(kind, 0.4), render_date(d, atype.english))
    for m in _MONTH_YEAR.finditer(sentence):
        if kind == YEAR:
            add(m.start(2), m.end(2), "YEAR", 0.95)
        else:
            add(m.start(), m.end(), "DATE", {DATE: 0.9, DAY: 0.4}.get(kind, 0.5))
    future = bool(_FUTURE.search(sentence))
    for rx in (_WEEKDAY, _REL_DAY):
        for m in rx.finditer(sentence):
            if kind == YEAR:
                continue
            d = resolve_day(m.group(0), article_date, future=future)
            value = render_date(d, atype.english) if d else None
            if d and atype.english and not value.lower().startswith(m.group(1).lower()):
                value = f"{value} ({m.group(0)})"
            s, e = m.start(1), m.end(1)
            add(s, e, "DAY", {DAY: 1.0, DATE: 0.8}.get(kind, 0.3), value)
    for rx in (_CENTURY, _DECADE):
        for m in rx.finditer(sentence):
            add(m.start(), m.end(), "DATE", {DATE: 0.75, YEAR: 0.75, DAY: 0.1}.get(kind, 0.3))
    for m in _YEAR_RE.finditer(sentence):
        add(m.start(), m.end(), "YEAR", {YEAR: 1.0, DATE: 0.7, DAY: 0.2}.get(kind, 0.3))
    return out


# ---- numbers ---------------------------------------------------------------------------------------------
def _unit_after(sentence: str, end: int) -> int:
    """End offset of the noun right after a number ("235 salariés", "407 625 hectares")."""
    m = re.match(r"\s+(?:(?:de|d['’])\s*)?([^\W\d_][\w'-]*)", sentence[end:])
    if not m or fold(m.group(1).lower()) in _UNIT_STOP or m.group(1)[0].isupper() and m.group(1).isupper():
        return end
    if m.group(1).lower() in MONTHS_FR or fold(m.group(1).lower()) in {fold(x) for x in MONTHS_FR}:
        return end
    return end + m.end()


def _same_stem(a: str, b: str) -> bool:
    from index.french import tokenize

    ta, tb = tokenize(a), tokenize(b)
    return bool(ta and tb and ta[0] == tb[0])


# Units that count the same things ("235 salariés" answers "combien d'emplois").
_UNIT_GROUPS = [
    "emploi poste salarie employe travailleur ouvrier personne agent job",
    "habitant personne resident citoyen",
    "mort victime tue deces personne",
    "euro dollar franc livre yen yuan",
    "kilometre km metre mile",
]


def _same_group(a: str, b: str) -> bool:
    from index.french import tokenize

    ta, tb = tokenize(a), tokenize(b)
    if not ta or not tb:
        return False
    return any(ta[0] in g and tb[0] in g for g in _unit_stem_groups())


def _unit_stem_groups() -> list[set[str]]:
    global _UNIT_STEMS
    if _UNIT_STEMS is None:
        from index.french import tokenize

        _UNIT_STEMS = [{t for w in g.split() for t in tokenize(w)} for g in _UNIT_GROUPS]
    return _UNIT_STEMS


_UNIT_STEMS: list[set[str]] | None = None


def _number_spans(sentence: str, atype: AnswerType) -> list[Span]:
    kind = atype.kind
    out: list[Span] = []
    taken: list[tuple[int, int]] = []
    date_parts = [(m.start(), m.end()) for m in _FULL_DATE.finditer(sentence)]
    date_parts += [(m.start(), m.end()) for m in _MONTH_YEAR.finditer(sentence)]
    date_parts += [(m.start(), m.end()) for m in _ISO_DATE.finditer(sentence)]

    def free(s, e):
        return not any(s < te and ts < e for ts, te in taken + date_parts)

    def add(s, e, k, score):
        if free(s, e):
            taken.append((s, e))
            out.append(Span(s, e, sentence[s:e], k, score))

    for m in _PERCENT.finditer(sentence):
        add(m.start(), m.end(), "PERCENT", {PERCENT: 1.0, NUMBER: 0.6}.get(kind, 0.3))
    for m in _MONEY.finditer(sentence):
        add(m.start(), m.end(), "MONEY", {MONEY: 1.0, NUMBER: 0.6}.get(kind, 0.3))
    for m in list(_NUMBER.finditer(sentence)) + list(_WORD_NUMBER.finditer(sentence)):
        s, e = m.start(), m.end()
        raw = m.group(0)
        if not free(s, e):
            continue
        is_year = bool(re.fullmatch(r"1[5-9]\d\d|20\d\d", raw))
        score = {NUMBER: 0.85, MONEY: 0.35, PERCENT: 0.35}.get(kind, 0.2)
        if raw[0].isalpha():
            score -= 0.15
        if is_year:
            score -= 0.45
        ue = _unit_after(sentence, e)
        if ue > e:
            unit = sentence[e:ue].split()[-1]
            if atype.focus and (_same_stem(unit, atype.focus) or _same_group(unit, atype.focus)):
                score += 0.3
            elif not is_year:
                score += 0.05
            e = ue
        elif atype.focus and kind == NUMBER:
            score -= 0.1
        add(s, e, "NUM", score)
    return out
