from pathlib import Path

import pytest

from index.loaders import load_corpus, load_file, parse_text_file
from tests.conftest import CORPUS, SEED, need_shared


def test_seed_dispatch_gives_date_title_and_body_with_captions():
    art, = load_file(need_shared(SEED))[0]
    assert art.id == "000_1597ff3a76891786"
    assert art.date == "2025-09-04"
    assert art.title == "Xi Jinping s'est entretenu avec le dirigeant nord-coréen Kim Jong Un"
    assert art.text.startswith("Le président chinois Xi Jinping (g) et le dirigeant")
    assert "Fichier vidéo" in art.text  # debris kept as text...
    assert "Fichier" not in art.title  # ...never taken as the title
    assert "Donald Trump" in art.text


def test_bundled_corpus_loads_without_problems():
    articles, problems = load_corpus([CORPUS])
    assert problems == []
    assert len(articles) >= 20
    assert all(a.date for a in articles)
    assert sum(1 for a in articles if a.url and a.url.startswith("https://fr.wikinews.org/")) >= 20


def test_source_line_becomes_the_url_and_not_the_text():
    art = parse_text_file(" date 2017-03-21 Titre\nSource : https://fr.wikinews.org/wiki/X\n\nCorps.", "a", "a.txt")
    assert art.url == "https://fr.wikinews.org/wiki/X"
    assert art.text == "Corps."


def test_markdown_without_date_line_takes_title_from_first_line(tmp_path: Path):
    p = tmp_path / "note.md"
    p.write_text("# Une note\n\nLe maire a parlé.\n", encoding="utf-8")
    (art,), problems = load_file(p)
    assert (art.title, art.date, art.text) == ("Une note", None, "Le maire a parlé.")
    assert problems == []


def test_jsonl_records_load_and_bad_lines_are_reported_not_fatal(tmp_path: Path):
    p = tmp_path / "a.jsonl"
    p.write_text(
        '{"id": "x1", "title": "T", "date": "2017-01-02", "url": "u", "text": "Un texte."}\n'
        "{broken\n"
        '{"id": "x2", "title": "T2"}\n'
        '{"id": "x3", "title": "T3", "date": "2017-02-30", "text": "Date impossible."}\n',
        encoding="utf-8",
    )
    arts, problems = load_file(p)
    assert [a.id for a in arts] == ["x1"]
    reasons = " | ".join(str(pr) for pr in problems)
    assert "a.jsonl:2" in reasons and "broken JSON" in reasons
    assert "a.jsonl:3" in reasons and "lacks text" in reasons
    assert "a.jsonl:4" in reasons and "does not exist" in reasons


def test_unreadable_file_is_reported_and_the_rest_indexed(tmp_path: Path):
    (tmp_path / "good.txt").write_text(" date 2020-01-01 Bon\n\nUn article.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x80\x81 invalid \xc3\x28")
    (tmp_path / "bad2.txt").write_bytes(b"caf\xe9 au lait")
    arts, problems = load_corpus([tmp_path])
    assert [a.id for a in arts] == ["good"]
    assert {Path(p.path).name for p in problems} == {"bad.txt", "bad2.txt"}


@pytest.mark.parametrize("name", ["README.md", ".hidden.txt"])
def test_readme_and_hidden_files_are_not_articles(tmp_path: Path, name: str):
    (tmp_path / name).write_text("# Corpus\n\nWhat the files are.", encoding="utf-8")
    assert load_corpus([tmp_path]) == ([], [])
