"""A small English -> French glossary of news words, so that an English question over French
dispatches still has words to match (sentence evidence, the verb whose agent is wanted).

Dense retrieval carries English questions; at sentence level e5's cross-lingual similarity is
too flat to tell the right sentence from its neighbours, and "who criticised" must find the
agent of "critiquer". Only common news vocabulary is listed; unknown words are left out (names
are kept as they are, since they are spelled alike in both languages).
"""
from __future__ import annotations

import re

_PAIRS = """
accuse:accuser accused:accusé acquire:acquérir acquired:acquis agree:accord agreed:accord agreement:accord
announce:annoncer announced:annoncé arrest:arrêter arrested:arrêté arrive:arriver arrived:arrivé
attack:attaque attacked:attaqué paying:payer montant buys:achète rachète sells:vend selling:vend
wins:gagne remporte winning:gagne leaving:quitte meets:rencontre meeting:rencontre réunion award:prix ban:interdire banned:interdit beat:battre bought:acheté
buy:acheter buying:rachète build:construire built:construit call:appeler called:appelé cancel:annuler
capital:capitale champion:champion championship:championnat city:ville claim:affirmer claimed:affirmé
close:fermer closed:fermé closure:fermeture company:entreprise société companies:entreprises sociétés rate:taux percentage:pourcentage
cities:villes chief:chef cheffe condemn:condamner condemned:condamné
country:pays countries:pays court:tribunal criticise:critiquer criticised:critiqué criticize:critiquer
criticized:critiqué criticism:critique cup:coupe day:jour death:mort décès declare:déclarer declared:déclaré
defeat:défaite defeated:battu deny:démentir denied:démenti describe:décrire described:décrit die:mourir
died:mort décédé director:directeur discover:découvrir discovered:découvert election:élection elect:élire
elected:élu employee:salarié employees:salariés job:emploi jobs:emplois factory:usine fire:incendie
flood:inondation floods:inondations found:fonder founded:fondé founder:fondateur government:gouvernement
head:chef kill:tuer killed:tué tués leader:dirigeant leave:quitter left:quitté lose:perdre lost:perdu
meet:rencontrer met:rencontré minister:ministre money:argent month:mois
name:nom named:nommé nominate:nommer nominated:nommé party:parti pay:payer montant paid:payé montant people:personnes
plane:avion planes:avions player:joueur police:police president:président price:prix prime:premier
prison:prison protest:manifestation manifestants react:réagir reacted:réagi refuse:refuser refused:refusé
reject:rejeter rejected:rejeté release:libérer released:libéré replace:remplacer replaced:remplacé
resign:démissionner resigned:démissionné say:dire said:déclaré dit affirmé sell:vendre sold:vendu
sign:signer signed:signé receive:recevoir received:reçu reçus donation:donation don
gift:don spokesman:porte-parole spokesperson:porte-parole spokeswoman:porte-parole
state:état strike:grève team:équipe threat:menace threaten:menacer threatened:menacé tax:impôt taxe
town:ville treaty:traité trip:voyage déplacement victim:victime victims:victimes visit:visite visited:visité
vote:vote voted:voté war:guerre win:gagner remporter won:gagné remporté winner:vainqueur world:monde
year:année years:ans ans wrote:écrit write:écrire warn:avertir warned:averti welcome:saluer welcomed:salué
parade:défilé military:militaire nuclear:nucléaire summit:sommet talks:discussions entretien
european:européen european:européenne chinese:chinois american:américain russian:russe french:français
beijing:Pékin moscow:Moscou london:Londres washington:Washington germany:Allemagne england:Angleterre
china:Chine russia:Russie france:France spain:Espagne italy:Italie japan:Japon brazil:Brésil
north:nord south:sud korea:Corée united:unis states:états union:union africa:Afrique
"""

GLOSSARY: dict[str, list[str]] = {}
_last = None
for _tok in _PAIRS.split():  # "said:déclaré dit affirmé": extra French words follow the pair
    if ":" in _tok:
        _last, _fr = _tok.split(":", 1)
        GLOSSARY.setdefault(_last, []).append(_fr)
    elif _last:
        GLOSSARY[_last].append(_tok)


def to_french(question: str) -> str:
    """French words for the English words of ``question`` that the glossary knows, plus its
    capitalised words (names), as one string for lexical matching."""
    out: list[str] = []
    for w in re.findall(r"[A-Za-zÀ-ÿ'-]+", question):
        fr = GLOSSARY.get(w.lower())
        if fr:
            out.extend(fr)
        elif w[:1].isupper() and w.lower() not in _EN_FUNCTION:
            out.append(w)
    return " ".join(out)


def french_verb(english_verb: str | None) -> str | None:
    if not english_verb:
        return None
    fr = GLOSSARY.get(english_verb.lower())
    return fr[0] if fr else None


_EN_FUNCTION = {"who", "what", "when", "where", "which", "how", "why", "did", "does", "do", "is", "was", "are",
                "were", "the", "a", "an", "in", "on", "of", "to", "for", "and", "or", "whom", "whose", "has", "have"}
