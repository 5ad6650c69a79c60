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
