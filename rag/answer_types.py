"""The kind of answer a question expects, French and English (pure functions, no model).

qui / who -> agent (a person or an organisation), où / where -> place, quand / when -> date,
quel jour / what day -> day, en quelle année / what year -> year, combien / how many -> number,
how much / pour combien -> money, quel taux / what percentage -> percent, and
quel(le)(s) + noun / which + noun -> the kind of that noun ("quel athlète" -> person,
"quelle entreprise" -> organisation, "quels pays" -> place). Anything else -> "other": the answer
is the supporting sentence itself.

Also kept: the focus noun ("athlète", "emplois"), the main verb of "qui a <verbe>" (to prefer the
agent of that verb), and the words of the question (an entity named in the question is not its answer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.french import fold

PERSON, ORG, AGENT, PLACE = "person", "org", "agent", "place"
DATE, DAY, YEAR = "date", "day", "year"
NUMBER, MONEY, PERCENT = "number", "money", "percent"
NAME, OTHER = "name", "other"

ENTITY_KINDS = {PERSON, ORG, AGENT, PLACE, NAME}
NUMERIC_KINDS = {NUMBER, MONEY, PERCENT}
TIME_KINDS = {DATE, DAY, YEAR}

# Nouns after quel/quelle/which, folded, by the kind of answer they ask for (prefix match on stems).
_NOUN_KINDS: dict[str, str] = {}
for _kind, _words in {
    PERSON: """athlete sportif sportive joueur joueuse president presidente fondateur fondatrice ministre
        chef cheffe dirigeant dirigeante acteur actrice auteur autrice ecrivain ecrivaine chanteur chanteuse
        artiste entraineur entraineuse personne personnalite homme femme pilote candidat candidate vainqueur
        gagnant gagnante roi reine pape prince princesse empereur imperatrice general officier capitaine
        directeur directrice patron patronne depute deputee senateur senatrice maire juge avocat avocate
        journaliste scientifique chercheur chercheuse astronaute musicien musicienne realisateur
        realisatrice peintre philosophe footballeur footballeuse cycliste coureur coureuse nageur
        nageuse boxeur tennisman tenniswoman champion championne medaille porte-parole successeur
        predecesseur mari epouse femme fils fille pere mere frere soeur leader premier premiere
        secretaire commissaire ambassadeur ambassadrice eveque cardinal individu compositeur
        person man woman athlete player president founder minister leader chief actor actress author
        writer singer artist coach pilot candidate winner king queen pope director ceo head spokesman
        spokeswoman spokesperson mayor judge journalist scientist astronaut""".split(),
    ORG: """entreprise societe firme groupe club equipe parti organisation organisme compagnie constructeur
        banque agence syndicat association universite journal chaine marque institution federation
        ministere gouvernement operateur fabricant editeur studio label ong assureur laboratoire
        company firm group club team party organisation organization agency union university newspaper
        channel brand institution federation ministry government manufacturer publisher bank""".split(),
    PLACE: """pays ville region province etat continent ile commune departement capitale lieu endroit fleuve
        riviere mer ocean montagne quartier localite village territoire zone stade aeroport port site
        planete etoile galaxie desert lac
        country city town region province state continent island place location river sea ocean
        mountain village territory stadium airport planet department district commune municipality
        neighbourhood neighborhood locality zone port site lake desert galaxy""".split(),
    YEAR: "annee an year".split(),
    DAY: "jour day".split(),
    DATE: "date mois epoque periode month".split(),
    PERCENT: "taux pourcentage proportion percentage rate".split(),
    MONEY: "montant prix somme cout budget salaire amount price sum cost budget".split(),
    NUMBER: """nombre age population hauteur superficie distance longueur poids duree vitesse temperature
        score number age height area distance length weight duration speed""".split(),
    NAME: "nom name surnom prenom".split(),
}.items():
    for _w in _words:
        _NOUN_KINDS.setdefault(_w, _kind)

_MONEY_VERBS = re.compile(
    r"\b(?:cout\w*|coute\w*|pay\w*|vend\w*|rachet\w*|achet\w*|acquis\w*|investi\w*|depens\w*|vaut|valu\w*|"
    r"factur\w*|verse\w*|cost\w*|paid|pay|sell\w*|sold|buy\w*|bought|spen[dt]\w*|worth|invest\w*|acquir\w*|"
    r"euros?|dollars?|francs?|livres?)\b")

_QWORDS_EN = re.compile(r"^\s*(?:who|whom|whose|what|when|where|which|how|why|did|does|do|is|are|was|were|"
                        r"in what|in which|on what|at what|by whom|to whom)\b")


@dataclass(frozen=True)
class AnswerType:
    kind: str
    english: bool = False
    focus: str | None = None  # the noun asked about: "athlète", "emplois", "company"
    verb: str | None = None  # "critiqué" in "qui a critiqué…"
    passive: bool = False  # "qui a été élu…": the agent is the subject anyway

    @property
    def wants_entity(self) -> bool:
        return self.kind in ENTITY_KINDS

    @property
    def typed(self) -> bool:
        """True when a sentence must hold a span of this kind to answer the question."""
        return self.kind != OTHER


def _qtext(question: str) -> str:
    q = fold(question).replace("’", "'").replace("`", "'")
    q = re.sub(r"[?!.]+\s*$", "", q)
    return " " + re.sub(r"\s+", " ", q).strip() + " "


def _noun_kind(noun: str) -> str | None:
    noun = noun.strip("'- ")
    if not noun:
        return None
    if noun in _NOUN_KINDS:
        return _NOUN_KINDS[noun]
    for cut in (noun.rstrip("sx"), noun[:-1] if noun.endswith("es") else None):
        if cut and cut in _NOUN_KINDS:
            return _NOUN_KINDS[cut]
    return None


_ARTICLES = r"(?:le |la |les |l'|un |une |des |du |de la |de l'|the |a |an )?"
_QUEL = re.compile(
    r"\b(?:quel|quelle|quels|quelles|lequel|laquelle|lesquels|lesquelles)\s+"
    r"(?:(?:est|sont|etait|etaient|fut|furent|sera|seront|a ete|ont ete)\s+)?" + _ARTICLES +
    r"((?:premier |premiere |nouveau |nouvelle |seul |seule |principal |principale |autre |deux |trois )?"
    r"[\w'-]+)")
_WHICH = re.compile(r"\b(?:which|what)\s+(?:is |are |was |were )?" + _ARTICLES + r"([\w'-]+)")


def _verb_after_qui(q: str) -> tuple[str | None, bool]:
    """The verb of "qui a critiqué", "qui exige", "qui a été élu", "who criticised"."""
    m = re.search(r"\b(?:qui|who)\s+(?:(?:a|ont|avait|avaient|aura|est|sont|etait|etaient|fut|"
                  r"has|have|had|is|was|were|will)(?:-t-(?:il|elle))?\s+)?"
                  r"(?:(ete|been|be)\s+)?(?:(?:deja|aussi|egalement|recemment|finalement|already|also)\s+)?"
                  r"([a-z][\w-]+)", q)
    if not m:
        return None, False
    verb = m.group(2)
    if verb in {"le", "la", "les", "l", "un", "une", "the", "a", "an", "de", "du", "des", "est", "etait", "sont",
                "etaient", "is", "was", "are", "were", "fut", "sera", "ce", "cette", "mon", "son", "sa", "ses"}:
        return None, False
    return verb, bool(m.group(1))


# Folded past participles of verbs of saying, as they follow "qu'a…" in a question or "a" in a
# sentence (rag/spans.py keeps its own list of infinitives, matched by stem, for quoted speakers).
SAID_PARTICIPLES = ("dit", "declare", "ecrit", "repondu", "reagi", "affirme", "explique", "estime", "annonce",
                    "ajoute", "indique", "denonce", "souligne", "retorque", "assure", "promis", "tweete", "publie")
_SPEECH_Q = re.compile(
    r"^\s*(?:et\s+)?(?:qu'|que\s+|qu'est-ce\s+qu'|qu'est-ce\s+que\s+)(?:[\w' -]+?\s+)?"
    r"(?:a|ont|avait|avaient)(?:-t-(?:il|elle|ils|elles))?\s+(?:[\w' -]+?\s+)?(" + "|".join(SAID_PARTICIPLES) + r")\b"
    r"|^\s*(?:and\s+)?what\s+(?:did|does|do|has|have)\s+(?:[\w' -]+?\s+)?(say|said|write|wrote|reply|replied|"
    r"answer|answered|tweet|tweeted|announce|announced|declare|declared)\b")
_EN_SPEECH = {"say": "dit", "said": "dit", "write": "ecrit", "wrote": "ecrit", "reply": "repondu",
              "replied": "repondu", "answer": "repondu", "answered": "repondu", "tweet": "tweete",
              "tweeted": "tweete", "announce": "annonce", "announced": "annonce", "declare": "declare",
              "declared": "declare"}


def speech_verb(question: str) -> str | None:
    """The verb of "Qu'a déclaré X ?", "Qu'a-t-il écrit ?", "What did she say?" (folded French
    participle): the answer is what was said, found in a quotation or after a verb of saying."""
    m = _SPEECH_Q.search(_qtext(question))
    if not m:
        return None
    return m.group(1) or _EN_SPEECH.get(m.group(2) or "")


def detect(question: str, english: bool | None = None) -> AnswerType:
    """The expected answer type of a question (French or English)."""
    q = _qtext(question)
    if english is None:
        english = bool(_QWORDS_EN.match(q))
    verb, passive = _verb_after_qui(q)
    if english and verb:
        from rag.glossary import french_verb

        verb = french_verb(verb) or verb

    def t(kind: str, focus: str | None = None) -> AnswerType:
        return AnswerType(kind, english, focus, verb if kind in (AGENT, PERSON, ORG) else None, passive)

    # -- time ---------------------------------------------------------------------------
    if re.search(r"\bquel(?:le)? jour\b|\b(?:what|which) day\b|\bon what day\b|\bquel jour de la semaine\b", q):
        return t(DAY)
    if re.search(r"\b(?:quelle annee|quel an|what year|which year|in what year|quelle saison)\b", q):
        return t(YEAR)
    if re.search(r"\bquand\b|\bwhen\b|\bquelle date\b|\ba quelle date\b|\bwhat date\b|\bquel mois\b|"
                 r"\bwhat month\b|\bdepuis quand\b|\bquelle epoque\b|\bquel siecle\b|\bwhat time\b|"
                 r"\ba quel moment\b|\bquelle periode\b|\ben quel mois\b|\bjusqu'a quand\b", q):
        return t(DATE)
    # -- quantities ------------------------------------------------------------------------
    if re.search(r"\b(?:quel(?:le)? (?:est |etait |sera )?(?:le |la )?(?:taux|pourcentage|proportion|part)|"
                 r"what (?:is the )?(?:percentage|rate|share|proportion)|combien de pour ?cent|"
                 r"how many percent)\b", q):
        return t(PERCENT)
    m = re.search(r"\bcombien\b(?:\s+(?:de|d')\s*([\w-]+))?", q)
    if m:
        unit = m.group(1)
        if unit and re.match(r"(?:euro|dollar|franc|livre|yen|yuan|roupie|rouble|argent)", unit):
            return t(MONEY, unit)
        if unit:
            return t(NUMBER, unit)
        if _MONEY_VERBS.search(q) or re.search(r"\bpour combien\b|\bcombien (?:coute|coutent|vaut|valent)\b", q):
            return t(MONEY)
        return t(NUMBER)
    m = re.search(r"\bhow (many|much|old|long|far|big|large|tall|high)\b(?:\s+([\w-]+))?", q)
    if m:
        if m.group(1) == "much" and (_MONEY_VERBS.search(q) or not m.group(2)):
            return t(MONEY)
        return t(NUMBER, m.group(2) if m.group(1) == "many" else m.group(1))
    # -- places, people ---------------------------------------------------------------------
    if re.search(r"(?:^| )(?:ou|d'ou|par ou|jusqu'ou)(?: |$)|\bwhere\b|\bwhence\b", q) and not re.search(
            r"\b(?:ou bien|ou non|ou pas)\b", q):
        if " ou " not in q or re.search(r"(?:^| )(?:ou|d'ou|par ou)\s+(?:se |s'|est|sont|a |ont |le |la |"
                                        r"les |l'|etait|vont|va |habit|vi[tv]|trouv|situ|[a-z]+-t-|[a-z]+-(?:il|elle))",
                                        q) or q.strip().startswith(("ou ", "d'ou ", "where")):
            return t(PLACE)
    if re.search(r"\b(?:quel(?:le)? est le nom|comment s'appel\w*|comment se nomm\w*|what is the name|"
                 r"what was the name|what is .* called|what's the name)\b", q):
        return t(NAME)
    m = _QUEL.search(q)
    if m:
        noun = m.group(1).split()[-1]
        kind = _noun_kind(noun)
        if kind == MONEY or (kind is None and _MONEY_VERBS.search(q) and re.search(r"\bmontant|prix|somme", q)):
            return t(MONEY, noun)
        if kind:
            return t(kind, noun)
        return t(OTHER, noun)
    if english:
        m = re.search(r"\b(?:which|what)\s+((?:[\w'-]+\s+){0,4}[\w'-]+)", q)
        if m:
            for w in m.group(1).split():  # "what is the corporate tax rate" -> rate
                if w in ("is", "are", "was", "were", "the", "a", "an", "did", "does", "do"):
                    continue
                kind = _noun_kind(w) or _noun_kind({"countries": "country", "companies": "company",
                                                    "cities": "city", "parties": "party"}.get(w, ""))
                if kind:
                    return t(kind, w)
    if re.search(r"(?:^| )(?:qui|par qui|avec qui|contre qui|pour qui|a qui|de qui|who|whom|whose|by whom)"
                 r"(?: |$)", q) and not re.search(r"\bqu'est-ce qui\b|\bce qui\b|\bqu'est ce qui\b", q):
        m = re.match(r"\s*(?:qui|who)\s+(?:est|etait|sont|etaient|fut|sera|is|was|are|were|will be)\s+"
                     r"(?:le |la |les |l'|the |un |une |a |an )?(?:nouveau |nouvelle |premier |premiere |new |first )?"
                     r"([a-z][\w-]+)", q)
        return t(AGENT, m.group(1) if m else None)
    said = speech_verb(question)
    if said:  # "qu'a répondu la Chine ?": what was said; the verb ranks the quotations (rag/extractive.py)
        return AnswerType(OTHER, english, None, said)
    return t(OTHER)


class QuestionWords(frozenset):
    """Folded words of a question; ``names`` are those written with a capital (not the first word)."""

    names: frozenset = frozenset()


def question_words(question: str) -> QuestionWords:
    """Folded surface words of the question (to exclude entities it already names)."""
    from index.french import words

    ws = words(question)
    out = QuestionWords(fold(w) for w in ws)
    out.names = frozenset(fold(w) for w in ws[1:] if w[:1].isupper()) | frozenset(
        fold(w) for w in ws[:1] if w[:1].isupper() and fold(w) not in _QWORD_STARTS)
    return out


_QWORD_STARTS = {"qui", "que", "quoi", "quand", "ou", "quel", "quelle", "quels", "quelles", "combien", "comment",
                 "pourquoi", "lequel", "laquelle", "a", "en", "dans", "de", "depuis", "pour", "par", "avec", "est",
                 "who", "what", "when", "where", "which", "how", "why", "in", "on", "at", "did", "does", "is",
                 "was", "for", "from", "by", "to", "le", "la", "les", "l", "d", "qu", "contre", "sur", "selon"}
