"""A compact map from 64-bit hashes to 64-bit values (open addressing in two numpy arrays).

The loader checks every article id against the ids seen before (duplicates are reported, the first
kept). A Python dict of int -> int costs ~100 bytes an entry; this costs 16 bytes a slot at a load
of at most one half (24-48 bytes an entry), which matters at millions of articles.
"""
from __future__ import annotations

import numpy as np

_EMPTY = np.uint64(0)
_BLOCK = 1 << 16  # entries moved at a time when the table grows


class HashMap64:
    def __init__(self, capacity: int = 1024) -> None:
        cap = 1
        while cap < max(capacity, 16):
            cap <<= 1
        self._keys = np.zeros(cap, dtype=np.uint64)
        self._vals = np.zeros(cap, dtype=np.int64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    @staticmethod
    def _key(h: int) -> np.uint64:
        return np.uint64(h or 1)  # 0 marks an empty slot

    def _slot(self, k: np.uint64) -> int:
        keys, mask = self._keys, len(self._keys) - 1
        i = int(k) & mask
        while True:
            cur = keys[i]
            if cur == k or cur == _EMPTY:
                return i
            i = (i + 1) & mask

    def get(self, h: int, default: int | None = None) -> int | None:
        k = self._key(h)
        i = self._slot(k)
        return int(self._vals[i]) if self._keys[i] == k else default

    def __contains__(self, h: int) -> bool:
        k = self._key(h)
        return bool(self._keys[self._slot(k)] == k)

    def __getitem__(self, h: int) -> int:
        got = self.get(h)
        if got is None:
            raise KeyError(h)
        return got

    def __setitem__(self, h: int, value: int) -> None:
        if 2 * (self._n + 1) > len(self._keys):
            self._grow()
        k = self._key(h)
        i = self._slot(k)
        if self._keys[i] != k:
            self._keys[i] = k
            self._n += 1
        self._vals[i] = value

    def _grow(self) -> None:
        keys, vals = self._keys, self._vals
        used = keys != _EMPTY
        self._keys = np.zeros(2 * len(keys), dtype=np.uint64)
        self._vals = np.zeros(2 * len(keys), dtype=np.int64)
        self._n = 0
        where = np.flatnonzero(used)
        del used
        for lo in range(0, len(where), _BLOCK):  # block by block: no list of every key at once
            part = where[lo:lo + _BLOCK]
            for k, v in zip(keys[part].tolist(), vals[part].tolist()):
                i = self._slot(np.uint64(k))
                self._keys[i] = k
                self._vals[i] = v
                self._n += 1
