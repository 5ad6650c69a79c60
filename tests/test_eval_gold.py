"""The gold format: every bad line is reported on its own line, with its number and what to fix."""
import pytest

from depeche.cli import main
from depeche.errors import DepecheError
from eval.gold import GoldError, load_gold, load_golds, parse_gold, sample
from tests.conftest import DATA, need_shared

GOOD = '{"id": "d01", "question": "Qui ?", "answers": ["Xi Jinping"], "evidence": ["Xi Jinping a rencontré"], "article": "a1"}'


def test_a_good_line_becomes_an_item_with_all_its_fields():
    (item,), problems = parse_gold(GOOD)
    assert problems == []
    assert (item.id, item.question, item.answers, item.evidence, item.article) == (
        "d01", "Qui ?", ("Xi Jinping",), ("Xi Jinping a rencontré",), "a1")
    assert item.answerable


def test_empty_answers_mean_unanswerable_and_evidence_and_article_are_optional():
    (item,), _ = parse_gold('{"id": "d15", "question": "Qui a gagné en 2031 ?", "answers": []}')
    assert not item.answerable and item.evidence == () and item.article is None


def test_every_bad_line_is_reported_with_its_line_number_and_the_good_ones_kept():
    text = "\n".join([
        GOOD,
        '{"id": "d02", "question": "Qui ?", "answers": ["x"]',          # 2 broken JSON
        '{"id": "d03", "answers": ["x"]}',                             # 3 no question
        '{"id": "d04", "question": "Qui ?"}',                          # 4 no answers
        '{"id": "d05", "question": "Qui ?", "answers": "Xi"}',         # 5 answers not a list
        '',
        '{"id": "d01", "question": "Encore ?", "answers": []}',       # 7 duplicate id
        '{"id": "d08", "question": "Qui ?", "answers": [], "anwser": 1}',  # 8 unknown field
        '["not", "an", "object"]',                                     # 9
        '{"id": "d10", "question": "Où ?", "answers": ["Lyon"], "article": 3}',  # 10 bad article
    ])
    items, problems = parse_gold(text, "g.jsonl")
    assert [i.id for i in items] == ["d01"]
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4", "5", "7", "8", "9", "10"]
    assert all(p.startswith("g.jsonl:") and "\n" not in p for p in problems)
    assert "answers" in problems[2] and "[]" in problems[2]
    assert "duplicate id 'd01'" in problems[4] and "line 1" in problems[4]
    assert "anwser" in problems[5]


def test_load_gold_raises_one_line_error_listing_the_problems(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text(GOOD + "\n{oops\n", encoding="utf-8")
    with pytest.raises(GoldError) as info:
        load_gold(p)
    assert "1 bad line(s)" in str(info.value) and "\n" not in str(info.value)
    assert info.value.problems[0].startswith(f"{p}:2: broken JSON")
    with pytest.raises(DepecheError, match="does not exist"):
        load_gold(tmp_path / "absent.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(GoldError, match="1 bad line"):
        load_gold(tmp_path / "empty.jsonl")


def test_several_gold_files_are_read_as_one_and_every_problem_of_each_is_listed(tmp_path):
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    a.write_text(GOOD + "\n", encoding="utf-8")
    b.write_text(GOOD.replace("d01", "d02") + "\n", encoding="utf-8")
    assert [i.id for i in load_golds([a, b])] == ["d01", "d02"]  # file order
    c.write_text(GOOD + "\n{oops\n", encoding="utf-8")  # d01 again, and a broken line
    with pytest.raises(GoldError) as info:
        load_golds([a, b, c])
    assert info.value.problems[0].startswith(f"{c}:2: broken JSON")
    with pytest.raises(GoldError) as info:
        load_golds([a, b, a])
    assert info.value.problems == [f"{a}: id 'd01' is also in {a}; rename one"]


def test_sample_is_reproducible_for_a_seed_and_keeps_file_order():
    items, _ = parse_gold("\n".join(f'{{"id": "q{i}", "question": "Q{i} ?", "answers": ["a"]}}' for i in range(50)))
    a, b, c = sample(items, 10, 0), sample(items, 10, 0), sample(items, 10, 1)
    assert [i.id for i in a] == [i.id for i in b] != [i.id for i in c]
    assert len(a) == 10 and a == sorted(a, key=lambda it: int(it.id[1:]))
    assert sample(items, None) == items and sample(items, 500) == items


def test_the_shared_dev_gold_file_loads():
    items = load_gold(need_shared(DATA / "dev-gold.jsonl"))
    assert len(items) >= 15 and any(not i.answerable for i in items)


def test_depeche_eval_lists_bad_gold_lines_and_evaluates_nothing_are_listed_and_nothing_is_evaluated(tmp_path, capsys):
    gold = tmp_path / "bad.jsonl"
    gold.write_text('{"id": "a", "question": "Q ?"}\n{oops\n', encoding="utf-8")
    code = main(["eval", str(gold), "--store", str(tmp_path / "none"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{gold}:1:" in err and f"{gold}:2:" in err and "2 bad line(s)" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv, message", [
    ([], "Give either a gold file"),
    (["g.jsonl", "--squad", "s.json"], "Give either a gold file"),
    (["g.jsonl", "--systems", "depeche,llm"], "--systems"),
    (["g.jsonl", "--min", "accuracy=0.8"], "unknown metric 'accuracy'"),
    (["g.jsonl", "--min", "dense:mrr=0.5", "--systems", "bm25"], "--systems is bm25"),
    (["g.jsonl", "--limit", "0"], "--limit must be at least 1"),
    (["g.jsonl", "--compare", "absent/metrics.json"], "--compare"),
])
def test_command_line_mistakes_fail_at_once_with_one_line(tmp_path, capsys, argv, message):
    code = main(["eval", *argv, "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "store").exists()
