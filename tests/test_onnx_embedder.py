"""e5-small on ONNX Runtime: exported once (deterministic, cached, versioned), agreeing with torch,
and a query path that imports neither torch nor sentence-transformers nor llama-index."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import run_python_clean

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
MIN_COSINE = 0.999

TEXTS = [
    "Le président Emmanuel Macron a déclaré mardi : « Nous ne céderons rien sur la réforme. »",
    "L’inflation a atteint 5,2 % sur un an en février, selon les chiffres publiés par l’Insee.",
    "À Marseille, 12 000 manifestants ont défilé contre la fermeture de l’hôpital Nord.",
    "The Federal Reserve raised interest rates by 0.25 percentage points to a range of 5.25% to 5.5%.",
    "Œuvre ½ ﬁn – « test » 🙂",
    "a",
    "Kim Jong Un est arrivé à Pékin. " * 120,  # over 512 tokens: truncated like sentence-transformers
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from index.e5_onnx import ensure_e5_onnx

    cache = tmp_path_factory.mktemp("onnx-cache")
    logs: list[str] = []
    return cache, ensure_e5_onnx(cache, log=logs.append), logs


@pytest.fixture(scope="module")
def torch_fp32():
    from index.embedders import get_embedder

    return get_embedder("e5-small-fp32")


def test_export_is_cached_versioned_and_deterministic(exported):
    from index import e5_onnx

    cache, folder, logs = exported
    assert folder.parent == cache and folder.name.endswith("-onnx")
    marker = json.loads((folder / e5_onnx.MARKER).read_text())
    assert marker["export_version"] == e5_onnx.EXPORT_VERSION
    assert set(marker["sha256"]) == set(e5_onnx.FILES)
    assert any("ONNX" in m for m in logs)
    again: list[str] = []
    assert e5_onnx.ensure_e5_onnx(cache, log=again.append) == folder and not any("ONNX" in m for m in again)
    # An export of another version is replaced by a new export, byte for byte the same as the first.
    (folder / e5_onnx.MARKER).write_text(json.dumps({**marker, "export_version": -1}))
    assert e5_onnx.ensure_e5_onnx(cache, log=again.append) == folder and any("ONNX" in m for m in again)
    rebuilt = json.loads((folder / e5_onnx.MARKER).read_text())
    assert rebuilt["sha256"] == marker["sha256"]
    assert not [p for p in cache.iterdir() if p.name.startswith(".")], "temporary folder left behind"


def test_onnx_tokens_are_the_sentence_transformers_tokens(torch_fp32):
    from index.e5_onnx import OnnxE5Embedder

    onnx = OnnxE5Embedder("e5-small")
    ours = [e.ids for e in onnx.tokenizer.encode_batch(["passage: " + t for t in TEXTS])]
    theirs = torch_fp32.model.tokenizer(["passage: " + t for t in TEXTS], truncation=True, max_length=512)
    assert ours == theirs["input_ids"]


def test_small_tokenizer_gives_the_tokenizers_ids():
    from index.e5_onnx import OnnxE5Embedder
    from tests.conftest import DATA, need_shared

    onnx = OnnxE5Embedder("e5-small")
    texts = TEXTS + ["<s> bonjour </s> <mask>x", "", "日本語のテキスト", "\u200d\u0301é ☃☃ \U0001F600\U0001F600"]
    lines = need_shared(DATA / "wikinews-fr.jsonl").read_text(encoding="utf-8").splitlines()
    texts += [json.loads(line)["text"][:400] for line in lines[::25]]
    texts = ["query: " + t for t in texts]
    onnx.serving()
    assert onnx.token_ids(texts) == [e.ids for e in onnx.tokenizer.encode_batch(texts)]


@pytest.mark.parametrize("int8,floor", [(False, MIN_COSINE), (True, 0.99), ("all", 0.98)])
def test_onnx_vectors_agree_with_torch(torch_fp32, int8, floor):
    from index.e5_onnx import OnnxE5Embedder

    onnx = OnnxE5Embedder("x", int8=int8)
    ref = torch_fp32.embed_passages(TEXTS)
    got = onnx.embed_passages(TEXTS)  # one call: length-sorted batches, dynamic padding, input order back
    assert got.shape == ref.shape and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert (got * ref).sum(1).min() >= floor
    for t in TEXTS[:4]:
        assert float(onnx.embed_query(t) @ torch_fp32.embed_query(t)) >= floor
    # a passage embedded alone equals the same passage embedded in a padded batch (int8 quantises
    # activations per batch: close, not equal)
    assert float(onnx.embed_passages([TEXTS[2]])[0] @ got[2]) >= (0.99999 if not int8 else floor)


def test_default_e5_small_runs_on_onnx_and_torch_on_request(monkeypatch):
    from index import embedders

    monkeypatch.setattr(embedders, "_CACHE", {})
    assert embedders.get_embedder("e5-small").runtime == "onnx-fp32"
    monkeypatch.setattr(embedders, "_CACHE", {})
    monkeypatch.setenv("DEPECHE_E5_RUNTIME", "torch")
    assert embedders.get_embedder("e5-small").runtime.startswith("torch-")
    assert embedders.get_embedder("e5-small").name == "e5-small"  # same name in the manifest either way


def test_asking_imports_neither_torch_nor_sentence_transformers_nor_llama_index(corpus_index):
    from rag.reader import Reader

    Reader().load()  # the reader's ONNX export is made once (with torch), before the lean process runs
    code = (
        "import sys, json\n"
        "from depeche.cli import main\n"
        f"rc = main(['ask', '--json', '--store', {str(corpus_index.store_path)!r}, 'Qui a rencontré Kim Jong Un jeudi à Pékin ?'])\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'llama_index', 'gradio',"
        " 'chromadb', 'bm25s', 'scipy', 'spacy')"
        " if m in sys.modules)\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    lines = run_python_clean(code)
    answer, result = json.loads(lines[0]), json.loads(lines[-1])
    assert result == {"rc": 0, "heavy": []}
    assert "Xi Jinping" in answer["answer"] and answer["citations"]  # answered by the reader, on ONNX
