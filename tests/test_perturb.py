"""eval/perturb.py: gold questions rewritten the way people type them."""
from __future__ import annotations

import json

import pytest

from eval.perturb import main, rewrite


def test_each_way_rewrites_the_question_as_documented():
    q = "Quels succès David Bowie a-t-il enchaînés après Space Oddity ?"
    assert rewrite(q, "opener", english=False) == "Je voudrais savoir quels succès David Bowie a-t-il enchaînés après Space Oddity ?"
    assert rewrite("Which leaders attended?", "opener", english=True) == "Could you tell me which leaders attended?"
    assert rewrite(q, "bare", english=False) == "quels succes david bowie a-t-il enchaines apres space oddity"
    assert rewrite(q, "typo", english=False) == "Quels succès David Bowie a-t-il enchaînés après Space Oddiy ?"
    assert rewrite("Which leaders attended Sandhurst?", "typo", english=True) is None
    assert rewrite(q, "greeting", english=False) == "Bonjour, quels succès David Bowie a-t-il enchaînés après Space Oddity ? Merci"
    assert rewrite("Which leaders attended?", "greeting", english=True) == "Hi, which leaders attended? Thanks"
    with pytest.raises(ValueError):
        rewrite(q, "shout", english=False)


def test_a_gold_file_keeps_its_answers_and_only_the_shapes_asked(tmp_path):
    gold = tmp_path / "g.jsonl"
    rows = [{"id": "a", "question": "Pourquoi Poutine a-t-il remercié Kim ?", "shape": "cause", "cause": ["pour l'envoi"]},
            {"id": "b", "question": "Résume la dépêche.", "shape": "summary", "key_sentences": ["x"]}]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main([str(gold), "--way", "bare", "--shapes", "cause", "--out", str(out)]) == 0
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert got == [{**rows[0], "question": "pourquoi poutine a-t-il remercie kim"}]
