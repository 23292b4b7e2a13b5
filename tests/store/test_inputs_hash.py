"""inputs_hash: equal meaning, equal hash; any edited input, a different hash."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.schema import INPUT_KEYS
from ltpgap.store import inputs_hash, records

BASE = {
    "initiatives": "Community diagnostic hub",
    "status": "In progress",
    "coverage": "Partial",
    "expected_delivery": date(2025, 3, 31),
    "lead": "J Smith",
}


@pytest.mark.parametrize(
    "same",
    [
        {**BASE, "initiatives": "  Community   diagnostic hub "},
        {**BASE, "expected_delivery": datetime(2025, 3, 31, 0, 0)},
        {**BASE, "expected_delivery": pd.Timestamp("2025-03-31")},
        {**BASE, "evidence": None, "not_applicable": ""},
        {**BASE, "evidence": float("nan"), "rag_override": pd.NA},
        {**BASE, "para": "9.99", "row": 42, "rag": "Green"},  # not input cells
        dict(reversed(list(BASE.items()))),
    ],
)
def test_equal_meaning_gives_an_equal_hash(same: dict[str, object]) -> None:
    assert inputs_hash(same) == inputs_hash(BASE)


@pytest.mark.parametrize("key", INPUT_KEYS)
def test_editing_any_input_changes_the_hash(key: str) -> None:
    edited = {**BASE, key: "something else"}
    assert inputs_hash(edited) != inputs_hash(BASE)


@pytest.mark.parametrize(
    ("a", "b"),
    [(1, 1.0), (True, "true"), (date(2025, 3, 31), "2025-03-31")],
)
def test_canonical_cells(a: object, b: object) -> None:
    assert inputs_hash({"lead": a}) == inputs_hash({"lead": b})


def test_hash_is_sha256_hex_and_stable() -> None:
    digest = inputs_hash({})
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == inputs_hash(dict.fromkeys(INPUT_KEYS))


@given(
    st.dictionaries(st.sampled_from(INPUT_KEYS), st.text(min_size=1, max_size=20).filter(str.strip))
)
def test_values_in_one_key_never_collide_with_another_key(row: dict[str, str]) -> None:
    for key, value in row.items():
        others = [k for k in INPUT_KEYS if k != key]
        moved = {**{k: v for k, v in row.items() if k != key}, others[0]: value}
        if moved != row and row.get(others[0]) != value:
            assert inputs_hash(moved) != inputs_hash(row)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(INPUT_KEYS),
        st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.booleans()),
    )
)
def test_the_hash_is_of_the_json_it_always_was(row: dict[str, object]) -> None:
    """The payload is written out by hand for speed: it must stay the json.dumps text that
    snapshots already stored were hashed from."""
    cells = [[key, records._cell(row.get(key))] for key in INPUT_KEYS]
    payload = json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    assert inputs_hash(row) == hashlib.sha256(payload.encode("utf-8")).hexdigest()
