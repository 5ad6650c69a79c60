"""The cold query path without chromadb, bm25s or the 270 MB tokenizer: the parts that replace them
give the same results as the parts they replace."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from depeche.types import Chunk

CHUNK_DATES = ["2024-01-05", "2024-03-10", None, "2025-07-01", "2023-12-31", "2024-03-10"]


def _chunks() -> list[Chunk]:
    out = []
    for a in range(6):  # articles a0..a5, two chunks each, grouped by article as a build writes them
        for k in range(2):
            text = f"Article {a} passage {k}"
            out.append(Chunk(f"a{a}#{k}", f"a{a}", f"Titre {a}", CHUNK_DATES[a], None, None, 0, len(text), text))
    return out


@pytest.fixture()
def table_and_chroma(tmp_path):
    """A chunk table and a real embedded Chroma collection holding hand-made vectors for it."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from index.tables import ChunkTable, date_int, write_chunks

    chunks = _chunks()
    write_chunks(tmp_path / "chunks", chunks)
    rng = np.random.default_rng(7)
    vecs = rng.normal(size=(len(chunks), 16)).astype(np.float32)
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_or_create_collection("chunks", metadata={"hnsw:space": "cosine"})
    col.add(ids=[c.id for c in chunks][::-1], embeddings=vecs[::-1].tolist(),  # stored out of table order
            metadatas=[{"article_id": c.article_id, "date_int": date_int(c.date)} for c in chunks][::-1])
    return ChunkTable(tmp_path / "chunks"), col, vecs, tmp_path


@pytest.mark.parametrize("filters", [{}, {"since": 20240101}, {"until": 20240310},
                                     {"since": 20240101, "until": 20241231}, {"articles": ("a1", "a4")},
                                     {"since": 20240101, "articles": ("a2", "a3", "a4")}])
def test_vector_file_finds_what_chroma_finds(table_and_chroma, filters):
    from index.store import DenseIndex
    from index.vectors import VectorFile, write_vectors

    table, col, vecs, folder = table_and_chroma
    assert write_vectors(folder, table, col)
    vf = VectorFile.open(folder, table)
    assert vf is not None and vf.count() == len(table)
    for q in np.random.default_rng(1).normal(size=(5, 16)).astype(np.float32):
        ours = vf.search(q, 4, **filters)
        theirs = DenseIndex(col).search(q, 4, **filters)
        assert [i for i, _ in ours] == [i for i, _ in theirs]
        assert np.allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-5)


def test_vector_file_of_another_table_is_not_used(table_and_chroma):
    from index.tables import ChunkTable, write_chunks
    from index.vectors import FILE, VectorFile, write_vectors

    table, col, _, folder = table_and_chroma
    assert write_vectors(folder, table, col)
    write_chunks(folder / "fewer", _chunks()[:4])
    assert VectorFile.open(folder, ChunkTable(folder / "fewer")) is None  # rows differ: Chroma is asked
    (folder / FILE).write_bytes(b"not a numpy file")
    assert VectorFile.open(folder, table) is None


def test_vectors_are_not_written_when_chroma_lacks_one(table_and_chroma):
    from index.vectors import FILE, write_vectors

    table, col, _, folder = table_and_chroma
    col.delete(ids=["a3#1"])
    assert not write_vectors(folder, table, col)
    assert not (folder / FILE).exists() and not list(folder.glob(f".{FILE}*"))


def test_saved_bm25_scores_equal_bm25s(tmp_path):
    import bm25s

    from index.bm25 import LexicalIndex, SavedBM25
    from index.french import tokenize

    texts = ["Le président chinois a rencontré le dirigeant nord-coréen à Pékin.",
             "La rencontre a été critiquée par l'opposition, qui dénonce un accord secret.",
             "Les marchés financiers ont reculé après l'annonce de la banque centrale.",
             "Pékin accueille un sommet ; le président américain critique la rencontre."]
    LexicalIndex.build(texts).save(tmp_path / "bm25")
    ours, theirs = SavedBM25(tmp_path / "bm25", mmap=True), bm25s.BM25.load(str(tmp_path / "bm25"), mmap=True)
    assert ours.vocab_dict == theirs.vocab_dict
    for q in ["Qui a critiqué la rencontre à Pékin ?", "président président rencontre", "banque centrale"]:
        toks = [t for t in tokenize(q) if t in theirs.vocab_dict]
        a, b = ours.get_scores(toks), theirs.get_scores(toks)
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert LexicalIndex.load(tmp_path / "bm25").scores("sujet inconnu").tolist() == [0.0] * 4


def test_pieces_cache_follows_the_pieces_file(tmp_path):
    from index import unigram

    (tmp_path / unigram.PIECES_FILE).write_text("<unk>\t0.0\n▁a\t-1.5\nb\t-2.0\n▁a\t-3.0\n", encoding="utf-8")
    assert unigram.load_pieces(tmp_path) == ({"<unk>": 0, "▁a": 1, "b": 2}, [0.0, -1.5, -2.0, -3.0])
    assert (tmp_path / unigram.PIECES_CACHE).is_file()
    assert unigram.load_pieces(tmp_path) == ({"<unk>": 0, "▁a": 1, "b": 2}, [0.0, -1.5, -2.0, -3.0])
    (tmp_path / unigram.PIECES_FILE).write_text("<unk>\t0.0\nc\t-1.0\n", encoding="utf-8")
    os.utime(tmp_path / unigram.PIECES_FILE, ns=(1, 1))
    assert unigram.load_pieces(tmp_path) == ({"<unk>": 0, "c": 1}, [0.0, -1.0])
    (tmp_path / unigram.PIECES_CACHE).write_bytes(b"garbage")
    assert unigram.load_pieces(tmp_path) == ({"<unk>": 0, "c": 1}, [0.0, -1.0])


@pytest.mark.model
def test_small_tokenizer_gives_the_tokenizers_offsets():
    from tokenizers import Tokenizer

    from index.e5_onnx import ensure_e5_onnx, serving_tokenizer
    from tests.conftest import CORPUS, DATA, need_shared

    ours = serving_tokenizer()
    assert serving_tokenizer() is ours  # shared by the embedder and the reader
    theirs = Tokenizer.from_file(str(ensure_e5_onnx(log=None) / "tokenizer.json"))
    texts = ["Qui a critiqué la rencontre ?", "", "  deux  espaces ", "l’État ﬁnal … ½ №5 ＡＢＣ",
             "<s>Qui</s> a <pad>x<unk>y", "\u00a0x\u200b y\tz\n\nw", "😀🙃 日本語 العربية ǅ Ⅻ ㍿", " \u2581x"]
    texts += [p.read_text(encoding="utf-8")[:1500] for p in sorted(CORPUS.glob("*.txt"))[:8]]
    lines = need_shared(DATA / "wikinews-fr.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"][:1000] for line in lines[::60]]
    for t in texts:
        want = theirs.encode(t, add_special_tokens=False)
        got = ours.encode(t, add_special_tokens=False)
        assert got.ids == list(want.ids) and got.offsets == [tuple(o) for o in want.offsets], t[:60]
    for tok in ("<s>", "</s>", "<pad>", "▁la"):
        assert ours.token_to_id(tok) == theirs.token_to_id(tok)
