"""Column names of the ICS workbook's Tables: distinct as Excel compares them (case ignored),
and a place's own columns kept whole under the name Place data gives them (property tests)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.merge._place_data import distinct_extras
from ltpgap.merge._sheets import DATA_LEAD
from ltpgap.merge._tables import unique_headers
from ltpgap.merge.model import PlaceRef, PlaceSubmission
from ltpgap.schema import COLUMNS, INPUT_KEYS

#: Headers a place might give its own columns: case variants of one another, of Place data's
#: own columns, and of what a renamed repeat would be called.
HEADERS = st.sampled_from(
    ["Notes", "notes", "NOTES", "Row", "row (2)", "Notes (2)", "Place", "Lead RAG", "lead rag"]
)


def _sub(unit: str, headers: list[str]) -> PlaceSubmission:
    columns: dict[str, list[object]] = {"para": ["1.1"], "row": [2]}
    columns |= {k: [None] for k in INPUT_KEYS}
    columns |= {h: [f"{unit}:{h}"] for h in headers}
    return PlaceSubmission(
        ref=PlaceRef(id=unit, name=unit, population=1),
        scope="place",
        input_columns=columns,
        extra_headers=tuple(headers),
        assessment=None,
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=12))
def test_unique_headers_differ_as_excel_compares_them(headers: list[str]) -> None:
    out = unique_headers(headers)
    assert len(out) == len(headers)
    assert len({h.casefold() for h in out}) == len(out)
    assert all(new.startswith(old) for old, new in zip(headers, out, strict=True))
    if len({h.casefold() for h in headers}) == len(headers):
        assert out == headers  # nothing to tell apart: nothing renamed


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(HEADERS, unique=True, max_size=4), min_size=1, max_size=4))
def test_own_columns_get_distinct_names_and_keep_their_values(
    plans: list[list[str]],
) -> None:
    subs = [_sub(f"u{i}", headers) for i, headers in enumerate(plans)]
    renamed = distinct_extras(subs)
    fixed = {
        h.casefold() for h in (*DATA_LEAD, *(c.header for c in COLUMNS if c.key in INPUT_KEYS))
    }
    given_as: dict[str, str] = {}  # a header as typed → Place data's name for it
    for before, after in zip(subs, renamed, strict=True):
        assert after.unit_id == before.unit_id and len(after.extra_headers) == len(
            before.extra_headers
        )
        for old, new in zip(before.extra_headers, after.extra_headers, strict=True):
            assert given_as.setdefault(old, new) == new  # one header, one column
            assert after.input_columns[new] == [f"{before.unit_id}:{old}"]  # values kept
            assert new.casefold() not in fixed
        for key in ("para", "row", *INPUT_KEYS):
            assert after.input_columns[key] == before.input_columns[key]
    names = list(dict.fromkeys(given_as.values()))
    assert len({n.casefold() for n in names}) == len(names)  # distinct as Excel sees them
