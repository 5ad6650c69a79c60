"""The loader's compact id map (index/idset.py) behaves like a dict of 64-bit hashes."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from index.idset import HashMap64


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=2**64 - 1), st.integers(min_value=0, max_value=2**62)),
                max_size=300))
def test_hash_map_agrees_with_a_dict_through_growth(pairs):
    m, d = HashMap64(capacity=16), {}
    for k, v in pairs:
        m[k] = v
        d[k] = v
    assert len(m) == len(d)
    for k, v in d.items():
        assert k in m and m[k] == v
    assert all((k in m) == (k in d) for k in (2, 3, 2**63, 2**64 - 2))
    assert m.get(2**64 - 3, -1) == d.get(2**64 - 3, -1)


def test_hash_map_grows_block_by_block_and_keeps_every_entry(monkeypatch):
    import index.idset as idset

    monkeypatch.setattr(idset, "_BLOCK", 3)
    m = HashMap64(capacity=16)
    for k in range(1, 2000):
        m[k * 0x9E3779B97F4A7C15 % 2**64] = k
    assert len(m) == 1999 and all(m[k * 0x9E3779B97F4A7C15 % 2**64] == k for k in range(1, 2000))
