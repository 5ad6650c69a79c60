"""The predicate of a list or yes/no question: the question's verb, and the verbs (and nouns) of the
same meaning an article may write instead ("assisté" ~ "participé" ~ "attended"). Pure, but for
spaCy's part-of-speech tags of a French question (rag/spans.parse)."""
from __future__ import annotations

import re
from functools import lru_cache

from index.french import _FOLDED_STOP, tokenize
from rag.answer_types import detect
from rag.glossary import with_french

# Verbs (French and English) that say the same thing as the question's predicate.
PREDICATES = [  # with the nouns an article writes for the verb ("leur soutien", "la libération de")
    "assister assisté assistaient participer participé participaient participation présent présents présente "
    "présentes attend attended attending participate participated",
    "rencontrer rencontré rencontrés entretenu entretenus entretenir réunir réuni meet met meeting talks",
    "signer signé signataire signataires signature ratifier ratifié approuver approuvé approbation sign signed ratified "
    "approve approved",
    "gagner gagné remporter remporté victoire vainqueur vainqueurs win won",
    "tuer tué tués mort morts décéder décédé blessé blessés kill killed died injured",
    "élire élu élus élection elect elected",
    "critiquer critiqué critique critiques dénoncer dénoncé condamner condamné criticise criticised criticize "
    "criticized condemned",
    "arrêter arrêté interpellé arrestation arrest arrested",
    "marquer marqué inscrire inscrit scored",
    "opposer opposé opposés opposition hostile hostiles oppose opposed",
    "féliciter félicité félicitations saluer salué congratulate congratulated",
    "quitter quitté retirer retiré leave left withdraw withdrew",
    "soutenir soutenu soutien soutiens support supported backed",
    "accueillir accueilli accueil reçu recevoir host hosted",
    "battre battu battus battue battues défait défaits vaincu vaincus éliminé éliminés beat beaten defeated",
    "libérer libéré libérés libérée libérées libération relâché relâchés relâchée relâchées released freed",
]
# Predicates and their opposites: a sentence stating both ("le chômage repart à la hausse après trois
# mois de baisse") decides neither "a-t-il baissé ?" nor "a-t-il augmenté ?" by its words alone.
OPPOSITES = [
    ("baisser baissé baisse baisses diminuer diminué diminution reculer reculé recul chuter chuté chute "
     "fall fell fallen decrease decreased drop dropped decline declined",
     "hausser hausse hausses augmenter augmenté augmentation progresser progressé progression monter monté "
     "remonter remonté rise rose risen increase increased"),
    ("gagner gagné remporter remporté victoire win won", "perdre perdu perdue défaite lose lost defeat"),
    ("ouvrir ouvert ouverte ouverture open opened", "fermer fermé fermée fermeture close closed"),
    ("accepter accepté acceptée accept accepted", "refuser refusé refusée refus rejeter rejeté rejetée rejet "
     "reject rejected refuse refused"),
    ("autoriser autorisé autorisée autorisation allow allowed authorised authorized",
     "interdire interdit interdite interdiction ban banned forbidden"),
]


def opposite(stems: set[str]) -> set[str]:
    """Stems of the predicates opposite to ``stems`` ("baiss" -> "hauss", "augment", …), or an empty
    set (pure)."""
    out: set[str] = set()
    for one, other in _opposite_pairs():
        if any(_like(t, x) for t in stems for x in one):
            out |= other
    return out


@lru_cache(maxsize=1)
def _opposite_pairs() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Each pair of :data:`OPPOSITES` as stems, both ways round (read once)."""
    pairs = [(frozenset(_stems(a)), frozenset(_stems(b))) for a, b in OPPOSITES]
    return tuple(pairs + [(b, a) for a, b in pairs])


# ", l'acteur et parolier mort en juillet 2016,": an apposition describes the one asked about; its
# verb is not the question's predicate
_APPOSITION = re.compile(r",\s*(?:l['’]|le |la |les |un |une |the |a |an )[^,?]*", re.IGNORECASE)
_QWORDS = {"quel", "quell", "qui", "lequel", "lesquel", "which", "what", "who", "cit", "list", "nomm", "enumer"}


def _stems(text: str) -> set[str]:
    return set(tokenize(text))


def _groups() -> list[set[str]]:
    if not _GROUPS:
        _GROUPS.extend(_stems(g) for g in PREDICATES)
    return _GROUPS


_GROUPS: list[set[str]] = []


def predicate(question: str, english: bool = False) -> tuple[set[str], set[str]]:
    """(stems that must occur: the predicate's meaning group, topic stems) of a list question."""
    q = with_french(question, english)
    stems = _stems(q) - _QWORDS
    atype = detect(question, english)
    if atype.focus:
        stems -= _stems(atype.focus)
    verb: set[str] = set()
    # the first verb of the question is its predicate ("Qui a été libéré après l'arrestation…":
    # freed, not arrested); the words of other groups stay topic words. A verb of no group leaves
    # the predicate unknown: a noun of a group ("les élections" in "Quels partis ont perdu des
    # sièges aux élections") or a name ("Libération") is not the predicate.
    first = question_verb_words(question, english)
    words = [t for w in first[:1] for t in tokenize(with_french(w, english))] if first else \
        [t for t in tokenize(_APPOSITION.sub(" ", q)) if t in stems]
    for t in words:
        group = next((g for g in _groups() if any(_like(t, b) for b in g)), None)
        if group:
            verb = set(group)
            break
    return verb, {t for t in stems if not any(_like(t, v) for v in verb)}


# a comma-enclosed insertion (", mort en juillet 2016,", ", selon l'agence syrienne,") holds no predicate
_INSERT = re.compile(r",[^,?]*,")
_FR_AUX = set("a ont avait avaient aura auront est sont était étaient sera seront été être avoir fut furent "
              "doit doivent devait devaient peut peuvent pouvait pouvaient va vont allait".split())
_EN_PAST = set("met won lost left beat fought led made took gave held sent brought bought sold told said found kept "
               "began ran became came went saw wrote spoke chose drove flew fell grew hit hurt shot struck stole "
               "threw wore withdrew overthrew sang sought taught thought paid laid fled forbade".split())
_EN_NOT_VERB = {"which", "what", "the", "a", "an", "his", "her", "its", "their", "this", "that", "these", "those",
                "of", "newly", "democratically"}


def question_verb_words(question: str, english: bool = False) -> list[str]:
    """The question's verbs, in order, as written (no auxiliaries): spaCy's part-of-speech tags for a
    French question (an insertion between commas left out); for an English one, past forms not
    used as adjectives ("Which elected officials voiced…": voiced). [] when none is found."""
    text = _INSERT.sub(",", question)
    if not english:
        from rag.spans import parse

        return [t.text for t in parse([text])[0] if t.pos_ == "VERB" and t.text.lower() not in _FR_AUX]
    toks = re.findall(r"[A-Za-z'-]+", text)
    out = []
    for i, w in enumerate(toks[1:], 1):
        lw = w.lower()
        if toks[i - 1].lower() in _EN_NOT_VERB or w[:1].isupper():
            continue
        if lw in _EN_PAST or (lw.endswith("ed") and len(lw) > 4):
            out.append(w)
    return out


def _like(a: str, b: str) -> bool:
    """Same stem, or one word family ("oppos" / "opposit"): a shared start of 5 characters or more
    that is most of the longer one ("Congrès" stems to "congr", which is no "congratulat"), the shorter
    not a word of its own ("entrés" stems to "entre", which does not start "entretenir")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 5 and len(short) >= FAMILY_SHARE * len(long_) and long_.startswith(short) \
        and short not in _FOLDED_STOP


FAMILY_SHARE = 0.55


def _held(asked: set[str], own: set[str]) -> set[str]:
    """The stems of ``asked`` a text whose stems are ``own`` holds (:func:`_like` one of them)."""
    return {t for t in asked if t in own or any(_like(t, o) for o in own)}


def _holds(text: str, stems: set[str]) -> int:
    return len(_held(stems, _stems(text)))
