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
elected:élu employee:salarié employees:salariés job:emploi jobs:emplois factory:usine fire:incendie feu
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
catalonia:Catalogne ukraine:Ukraine belgium:Belgique netherlands:Pays-Bas switzerland:Suisse austria:Autriche
poland:Pologne greece:Grèce turkey:Turquie syria:Syrie iraq:Irak egypt:Égypte morocco:Maroc algeria:Algérie
tunisia:Tunisie libya:Libye cameroon:Cameroun mexico:Mexique india:Inde indonesia:Indonésie australia:Australie
argentina:Argentine colombia:Colombie haiti:Haïti scotland:Écosse ireland:Irlande sweden:Suède norway:Norvège
denmark:Danemark finland:Finlande romania:Roumanie hungary:Hongrie israel:Israël lebanon:Liban yemen:Yémen
thailand:Thaïlande taiwan:Taïwan ethiopia:Éthiopie somalia:Somalie senegal:Sénégal guiana:Guyane corsica:Corse
brittany:Bretagne brussels:Bruxelles geneva:Genève vienna:Vienne athens:Athènes warsaw:Varsovie venice:Venise
lisbon:Lisbonne havana:Havane europe:Europe asia:Asie america:Amérique arctic:Arctique antarctica:Antarctique
mediterranean:Méditerranée atlantic:Atlantique pacific:Pacifique alps:Alpes moon:Lune earth:Terre sun:Soleil
british:britannique german:allemand allemande spanish:espagnol espagnole italian:italien italienne
japanese:japonais belgian:belge swiss:suisse dutch:néerlandais polish:polonais ukrainian:ukrainien
turkish:turc syrian:syrien iraqi:irakien iranian:iranien egyptian:égyptien moroccan:marocain algerian:algérien
tunisian:tunisien nigerian:nigérian canadian:canadien mexican:mexicain brazilian:brésilien indian:indien
australian:australien african:africain korean:coréen catalan:catalan kurdish:kurde palestinian:palestinien
israeli:israélien burundian:burundais congolese:congolais romanian:roumain roumaine greek:grec portuguese:portugais
swedish:suédois norwegian:norvégien danish:danois irish:irlandais scottish:écossais austrian:autrichien
hungarian:hongrois czech:tchèque cuban:cubain haitian:haïtien venezuelan:vénézuélien colombian:colombien
chilean:chilien nationalities:nationalités nationality:nationalité
independence:indépendance referendum:référendum parliament:parlement senate:sénat assembly:assemblée
constitution:constitution law:loi reform:réforme judge:juge trial:procès sentenced:condamné prosecutor:procureur
lawyer:avocat investigation:enquête inquiry:enquête soldier:soldat soldiers:soldats army:armée troops:troupes
weapons:armes bomb:bombe explosion:explosion terrorist:terroriste attentat hostage:otage hostages:otages
refugees:réfugiés migrants:migrants border:frontière crisis:crise protesters:manifestants demonstration:manifestation
unions:syndicats workers:salariés travailleurs unemployment:chômage growth:croissance economy:économie debt:dette
bank:banque market:marché oil:pétrole gas:gaz energy:énergie climate:climat earthquake:séisme tremblement
storm:tempête hurricane:ouragan drought:sécheresse heatwave:canicule snow:neige cold:froid weather:météo
disease:maladie epidemic:épidémie vaccine:vaccin hospital:hôpital doctors:médecins health:santé school:école
students:étudiants élèves university:université exam:examen study:étude scientists:scientifiques
researchers:chercheurs discovery:découverte telescope:télescope rocket:fusée launch:lancement lancer space:spatial espace
astronaut:astronaute planet:planète asteroid:astéroïde comet:comète species:espèces animals:animaux
prize:prix ceremony:cérémonie singer:chanteur chanteuse actor:acteur actress:actrice song:chanson songs:chansons
book:livre novel:roman writer:écrivain artist:artiste museum:musée exhibition:exposition game:match
season:saison goal:but goals:buts race:course title:titre medal:médaille olympic:olympique tournament:tournoi
final:finale coach:entraîneur league:ligue championnat rider:coureur cyclist:cycliste women:femmes men:hommes
children:enfants family:famille mother:mère father:père wife:épouse husband:mari son:fils daughter:fille
king:roi queen:reine pope:pape church:église mosque:mosquée candidate:candidat candidates:candidats
campaign:campagne primary:primaire seats:sièges majority:majorité ambassador:ambassadeur diplomats:diplomates
embassy:ambassade negotiations:négociations peace:paix ceasefire:cessez-le-feu conflict:conflit rebels:rebelles
separatists:séparatistes dead:morts injured:blessés wounded:blessés missing:disparus survivors:survivants
rescue:secours sauvetage crash:accident collapse:effondrement bridge:pont airport:aéroport flight:vol
ship:navire bateau boat:bateau road:route car:voiture profit:bénéfice deal:accord contract:contrat
billion:milliards report:rapport statement:communiqué déclaration speech:discours interview:entretien
letter:lettre video:vidéo website:site network:réseau newspaper:journal journalist:journaliste
journalists:journalistes television:télévision channel:chaîne
start:commencer started:commencé began:commencé ended:terminé postponed:reporté delayed:retardé
suspended:suspendu excluded:exclu approved:approuvé adopté adopted:adopté passed:adopté supported:soutenu
charged:inculpé convicted:condamné acquitted:acquitté fled:fui evacuated:évacué destroyed:détruit
damaged:endommagé shot:abattu tiré stabbed:poignardé kidnapped:enlevé freed:libéré returned:revenu rentré
decided:décidé decision:décision proposed:proposé demands:revendications asked:demandé responded:répondu
explained:expliqué confirmed:confirmé revealed:révélé published:publié launched:lancé hosted:accueilli
attended:assisté played:joué scored:marqué finished:terminé qualified:qualifié eliminated:éliminé
retired:retraité appointed:nommé dismissed:limogé hired:embauché increased:augmenté hausse fell:baissé baisse
reached:atteint celebrated:célébré born:né married:marié
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


def with_french(question: str, english: bool) -> str:
    """``question`` followed by the French words of its English ones (:func:`to_french`) when it is
    English, for matching against French text; unchanged otherwise."""
    return f"{question} {to_french(question)}" if english else question


def french_verb(english_verb: str | None) -> str | None:
    if not english_verb:
        return None
    fr = GLOSSARY.get(english_verb.lower())
    return fr[0] if fr else None


_EN_FUNCTION = {"who", "what", "when", "where", "which", "how", "why", "did", "does", "do", "is", "was", "are",
                "were", "the", "a", "an", "in", "on", "of", "to", "for", "and", "or", "whom", "whose", "has", "have"}
