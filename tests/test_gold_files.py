"""The gold files of eval/gold/ are well formed, and every shaped answer they hold (items, causes,
key sentences) is written verbatim in the article it names (a timeline's later events: in another
article of the corpus): a gold phrase the articles do not hold would score a right answer as wrong."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold import parse_gold
from tests.conftest import DATA, need_shared

GOLD = Path(__file__).resolve().parent.parent / "eval" / "gold"
SHAPED = sorted(GOLD.glob("shapes-*.jsonl"))


@pytest.mark.parametrize("path", SHAPED, ids=[p.name for p in SHAPED])
def test_a_shaped_gold_file_parses_with_unique_ids(path):
    items, problems = parse_gold(path.read_text(encoding="utf-8"))
    assert not problems, problems[:3]
    ids = [g.id for g in items]
    assert len(ids) == len(set(ids))


@pytest.fixture(scope="module")
def wikinews() -> dict[str, str]:
    path = need_shared(DATA / "wikinews-fr.jsonl")
    out = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            out[rec["id"]] = rec["text"]
    return out


@pytest.mark.parametrize("path", SHAPED, ids=[p.name for p in SHAPED])
def test_every_gold_phrase_is_verbatim_in_its_article(path, wikinews):
    missing = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        text = wikinews.get(rec.get("article") or "")
        if text is None:
            continue  # an article of corpus/, or a question the corpus cannot answer
        # a timeline across dispatches (shapes-timeline-across-*) takes its later events from other
        # articles of the story: those are written verbatim in one of them
        others = list(wikinews.values()) if rec.get("shape") == "timeline" else []
        for key in ("items", "cause", "key_sentences"):
            for entry in rec.get(key) or []:
                if not any(v in t for v in entry.split("|") for t in [text, *others]):
                    missing.append((rec["id"], entry))
    assert not missing, missing[:5]
