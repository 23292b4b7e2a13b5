"""Invariants of the table reader on in-memory grids (no files): property tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ltpgap.schema import COLUMNS, HEADERS, INPUT_KEYS
from ltpgap.workbook._layout import find_layout, header_key
from ltpgap.workbook._rows import is_blank, read_rows

_VALUE = st.one_of(
    st.none(),
    st.sampled_from(
        ["", "  ", "In place", "Full", "Yes", "2023/24", "Q4 23/24", "#N/A", "Dr A Patel"]
    ),
    st.integers(2020, 2030),
    st.text(max_size=12),
)


def _variants(header: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            header,
            header.upper(),
            f"  {header.lower()} ",
            header.replace(" ", "  "),
            header.replace("-", " "),
        ]
    )


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[object]], dict[str, dict[str, object]], int]:
    """A grid (title rows, shuffled headers spelt loosely, extras, rows) and what was typed."""
    order = draw(st.permutations(range(len(HEADERS))))
    extras = draw(
        st.lists(st.sampled_from(["Notes", "Owner (ICS)", "Local RAG"]), unique=True, max_size=2)
    )
    header = [draw(_variants(HEADERS[i])) for i in order] + extras
    keys = [COLUMNS[i].key for i in order] + extras
    paras = draw(
        st.lists(
            st.from_regex(r"[1-7]\.[1-9][0-9]?[a-c]?", fullmatch=True),
            unique=True,
            min_size=1,
            max_size=15,
        )
    )
    typed: dict[str, dict[str, object]] = {}
    rows: list[list[object]] = []
    for para in paras:
        values = {k: draw(_VALUE) for k in [*INPUT_KEYS, *extras]}
        typed[para] = values
        rows.append([para if k == "para" else values.get(k, "catalogue text") for k in keys])
    top = draw(st.integers(0, 3))
    grid = [["title"] + [None] * (len(header) - 1) for _ in range(top)] + [header] + rows
    return grid, typed, top + 1


def _read(grid: list[list[object]]):
    layout, issues = find_layout("f.xlsx", ["S"], [], lambda _: grid, skip=set())
    assert layout is not None and not [i for i in issues if i.code == "missing-column"]
    rows = read_rows(
        file="f.xlsx",
        grid=grid,
        layout=layout,
        errors={},
        catalogue=None,
        decimals_of=lambda refs: {},
    )
    return layout, rows


@settings(max_examples=60, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_rows_are_matched_by_para_whatever_the_order(table, rnd) -> None:
    grid, typed, header_row = table
    layout, read = _read(grid)
    assert layout.header_row == header_row and layout.found_by == "signature"
    body = grid[header_row:]
    shuffled = grid[:header_row] + rnd.sample(body, len(body))
    _, again = _read(shuffled)
    frame, other = read.frame.set_index("para"), again.frame.set_index("para")
    for para, values in typed.items():
        for key, value in values.items():
            got = frame.at[para, key]
            assert got == other.at[para, key]
            if not (value is None or value == ""):
                assert got == value  # kept raw: spaces, '#N/A' and all
    assert set(frame.index) == set(typed)


@given(st.sampled_from(COLUMNS), st.data())
def test_headers_match_whatever_the_spelling(column, data) -> None:
    assert header_key(data.draw(_variants(column.header))) == column.key


def test_rows_with_inputs_but_no_para_are_kept() -> None:
    grid: list[list[object]] = [list(HEADERS), ["1.1"] + [""] * 20, [""] * 21]
    grid[2][HEADERS.index("Lead")] = "K Jones"
    grid.append([None] * 21)  # a blank row is skipped, not reported
    _, read = _read(grid)
    assert list(read.frame["para"]) == ["1.1", ""]
    assert read.frame.iloc[1]["lead"] == "K Jones"
    (issue,) = read.issues
    assert issue.code == "blank-para" and issue.where.cell == "A3" and "Lead in N3" in issue.message
    assert is_blank(read.frame.iloc[0]["lead"])
