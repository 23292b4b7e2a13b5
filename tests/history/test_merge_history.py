"""`ltpgap merge --db` end to end: snapshots recorded, the History sheet, resubmissions.

Run once on SQLite and once on a real PostgreSQL server (skipped, with the reason, when
LTPGAP_TEST_PG_URL is not set). Expected movement, counts and % green are worked out here
from the RAGs typed in and from each round's ICS matrix, never read back from the store.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from histkit import (
    ROUND1,
    ROUND2,
    V1,
    TwoRounds,
    chart_texts,
    chart_xml,
    copy_books,
    merge,
    moved,
    movement_word,
    set_rags,
    sheet_text,
    table_rows,
    two_rounds,
)

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.merge import read_ics_workbook
from ltpgap.store import open_store

ORDER = ("Red", "Amber", "Green")


def _label(before: str, after: str) -> str:
    """The movement oracle: RAG order Red < Amber < Green; anything else is not comparable."""
    if before == after:
        return "▶ no change"
    if before in ORDER and after in ORDER:
        return movement_word(before, after)
    return "not comparable"


def _rags(cat: Catalogue, unit: str, *typed: dict[str, dict[str, str]]) -> dict[str, str]:
    """A unit's RAG per commitment it assesses after the given rounds (blank: Not assessed)."""
    level = "ics" if unit == "blmk" else "place"
    rags = {c.id: "Not assessed" for c in cat if c.level == level}
    for one in typed:
        rags.update(one.get(unit, {}))
    return rags


@pytest.fixture(scope="module")
def rounds(
    tmp_path_factory: pytest.TempPathFactory, blanks: dict[str, Path], module_db: str
) -> TwoRounds:
    """Round 1 and round 2 merged into one store, once per backend."""
    return two_rounds(tmp_path_factory.mktemp("rounds"), blanks, module_db)


def test_two_merges_record_two_snapshots(rounds: TwoRounds) -> None:
    out, db = rounds.out, rounds.db
    first, second = (" ".join(p.split()) for p in rounds.printed)
    assert "Snapshot 1 of 'blmk' recorded" in first and "by ann: 5 workbook(s)" in first
    assert "Snapshot 2 of 'blmk' recorded" in second and "by bob: 3 workbook(s)" in second
    assert "already on record: Central Bedfordshire, Milton Keynes" in second
    with open_store(db) as store:
        shots = store.snapshots("blmk")
        assert [(s.seq, s.who, s.submissions) for s in shots] == [(1, "ann", 5), (2, "bob", 3)]
    checks = table_rows(out, "Checks")
    recorded = [c for c in checks if c["Code"] == "snapshot-recorded"]
    assert len(recorded) == 1 and "Snapshot 2" in str(recorded[0]["Message"])
    assert not [c for c in checks if c["Code"] == "duplicate-submission"]  # kept: expected


def test_history_sheet_movement_per_commitment_and_place(
    rounds: TwoRounds, cat1: Catalogue, ics: IcsConfig
) -> None:
    out, round1 = rounds.out, rounds.round1
    names = {p.id: p.name for p in ics.places} | {"blmk": f"{ics.name} (ICS team)"}
    expected = {}
    for unit in ROUND1:
        before, after = _rags(cat1, unit, ROUND1), _rags(cat1, unit, ROUND1, ROUND2)
        for para in after:
            expected[(names[unit], para)] = _label(before[para], after[para])
    old, new = read_ics_workbook(round1).matrix, read_ics_workbook(out).matrix
    was = dict(zip(old["para"], old["ics_rag"], strict=True))
    for para, level, rag in zip(new["para"], new["level"], new["ics_rag"], strict=True):
        if level in ("place", "ics"):
            expected[(f"{ics.name} (ICS RAG)", para)] = _label(was[para], rag)
    rows = table_rows(out, "HistoryMovement")
    assert moved(rows) == expected
    assert len(rows) == len(expected)  # one row per commitment and unit, nothing else
    luton = {r["Para"]: (r["Before"], r["After"]) for r in rows if r["Place"] == "Luton"}
    assert luton["1.8"] == ("Red", "Green") and luton["3.10"] == ("Not assessed", "Green")
    words = Counter(w for (place, _), w in expected.items() if not place.endswith("(ICS RAG)"))
    assert words == {"▲ improved": 3, "▼ worse": 2, "not comparable": 1, "▶ no change": 44}


def test_history_sheet_counts_by_chapter(rounds: TwoRounds, cat1: Catalogue) -> None:
    out = rounds.out
    chapter = {c.id: c.chapter for c in cat1}
    want: Counter[tuple[str, int, str]] = Counter()
    for r in table_rows(out, "HistoryMovement"):
        want[(str(r["Place"]), chapter[str(r["Para"])], str(r["Movement"]))] += 1
    columns = {"▲ improved", "▶ no change", "▼ worse", "new", "not comparable"}
    got: Counter[tuple[str, int, str]] = Counter()
    for row in table_rows(out, "HistoryByChapter"):
        total = 0
        for word in columns:
            count = int(row[word])  # type: ignore[call-overload]
            total += count
            if count:
                got[(str(row["Place"]), int(row["Chapter"]), word)] = count  # type: ignore[call-overload]
        assert row["Total"] == total
    assert got == want
    bedford = {
        int(r["Chapter"]): (r["▲ improved"], r["▼ worse"])  # type: ignore[call-overload]
        for r in table_rows(out, "HistoryByChapter")
        if r["Place"] == "Bedford Borough"
    }
    assert bedford[1] == (1, 1) and bedford[2] == (0, 0)  # 1.24 up, 1.8 down; 2.x unchanged


def test_history_sheet_trend_table_and_line_chart(rounds: TwoRounds, ics: IcsConfig) -> None:
    out, round1 = rounds.out, rounds.round1
    trend = table_rows(out, "HistoryTrend")
    assert [(r["Snapshot"], r["Merged by"]) for r in trend] == [(1, "ann"), (2, "bob")]
    for row, book in zip(trend, (round1, out), strict=True):
        matrix = read_ics_workbook(book).matrix
        for place in ics.places:
            applicable = matrix[matrix[place.id] != "N/A"]
            share = (applicable[place.id] == "Green").sum() / len(applicable)
            assert row[place.name] == pytest.approx(share), (row["Snapshot"], place.id)
        rolled = matrix[matrix["ics_rag"] != "N/A"]
        share = (rolled["ics_rag"] == "Green").sum() / len(rolled)
        assert row[f"{ics.name} (ICS RAG)"] == pytest.approx(share)
    assert [r[f"{ics.name} (ICS team)"] for r in trend] == [0, pytest.approx(1 / 6)]
    drawing, chart = chart_xml(out)
    assert "<c:lineChart>" in chart or "<lineChart>" in chart
    assert chart.count("<c:ser>") + chart.count("<ser>") == len(ics.places) + 2
    assert chart_texts(chart)[:3] == ["% green at each snapshot", "Snapshot", "% green"]
    assert 'descr="Line chart of % green' in drawing and 'title="% green' in drawing
    text = sheet_text(out, "History")
    assert "snapshot 2" in text and "compared with snapshot 1" in text
    assert "▲ improved" in text and "▼ worse" in text  # arrows always with the word
    assert "History" in sheet_text(out, "Read me")  # the guide to the sheets mentions it


def test_identical_resubmission_is_not_counted_twice(
    tmp_path: Path, blanks: dict[str, Path], db: str
) -> None:
    books = copy_books(blanks, tmp_path / "returns")
    set_rags(books["luton"], {"1.8": "Green"})
    out = tmp_path / "ICS.xlsx"
    for _ in range(2):
        done = merge(*books.values(), "--out", out, "--catalogue", V1, "--db", db)
        assert done.exit_code == 0, done.output
    printed = " ".join(done.output.split())
    assert "History (snapshot-unchanged)" in printed and "not counted twice" in printed
    with open_store(db) as store:
        assert len(store.snapshots("blmk")) == 1
    codes = Counter(str(c["Code"]) for c in table_rows(out, "Checks"))
    assert codes["duplicate-submission"] == 5 and codes["snapshot-unchanged"] == 1
    assert codes["snapshot-recorded"] == 0
    text = sheet_text(out, "History")
    assert "no earlier snapshot is on record" in text
    assert "HistoryMovement" not in _tables(out) and "HistoryTrend" in _tables(out)


def test_a_kept_place_corrected_on_place_data_is_recorded_as_edited(
    tmp_path: Path, blanks: dict[str, Path], db: str
) -> None:
    """The ICS lead corrects a kept place's input on Place data: the merge takes it (with a
    place-data-edited warning), so the history shows that place's movement too, not only the
    ICS RAG's; recorded once, under the workbook's name marked as edited on Place data."""
    books = copy_books(blanks, tmp_path / "returns")
    set_rags(books["bedford"], {"1.8": "Green"})
    set_rags(books["luton"], {"1.8": "Green"})
    out = tmp_path / "ICS.xlsx"
    done = merge(books["bedford"], books["luton"], "--out", out, "--catalogue", V1, "--db", db)
    assert done.exit_code == 0, done.output
    wb = openpyxl.load_workbook(out)
    ws = wb["Place data"]
    heads = [c.value for c in ws[1]]
    (row,) = [r for r in ws.iter_rows(min_row=2) if r[0].value == "Bedford Borough"]
    assert row[heads.index("Para")].value == "1.8"
    row[heads.index("Status")].value = "None"  # In place → None: Green → Red
    wb.save(out)
    done = merge(books["luton"], "--out", out, "--catalogue", V1, "--db", db)
    assert done.exit_code == 0, done.output
    printed = " ".join(done.output.split())
    assert "place-data-edited" in printed
    assert (
        "recorded in" in printed and "(Bedford Borough's data as edited on Place data)" in printed
    )
    with open_store(db) as store:
        assert [(s.seq, s.submissions) for s in store.snapshots("blmk")] == [(1, 2), (2, 1)]
        frame = store.history("blmk", commitment="1.8", place="bedford")
    assert list(zip(frame["snapshot"], frame["rag"], frame["file"], strict=True)) == [
        (1, "Green", "bedford.xlsx"),
        (2, "Red", "bedford.xlsx (as edited on Place data)"),
    ]
    assert moved(table_rows(out, "HistoryMovement"))[("Bedford Borough", "1.8")] == "▼ worse"
    done = merge(books["luton"], "--out", out, "--catalogue", V1, "--db", db)
    assert "History (snapshot-unchanged)" in " ".join(done.output.split())  # nothing new


def _tables(path: Path) -> set[str]:
    import openpyxl

    return {name for ws in openpyxl.load_workbook(path).worksheets for name in ws.tables}


def test_default_store_is_beside_the_ics_workbook(tmp_path: Path, blanks: dict[str, Path]) -> None:
    books = copy_books(blanks, tmp_path / "returns")
    out = tmp_path / "board" / "ICS.xlsx"
    done = merge(*books.values(), "--out", out, "--catalogue", V1)
    assert done.exit_code == 0, done.output
    assert (tmp_path / "board" / "ltpgap.sqlite").is_file()
    assert "History" in _sheets(out)
    plain = tmp_path / "plain" / "ICS.xlsx"
    done = merge(*books.values(), "--out", plain, "--catalogue", V1, "--no-db")
    assert done.exit_code == 0, done.output
    assert not (tmp_path / "plain" / "ltpgap.sqlite").exists()
    assert "History" not in _sheets(plain) and "History (" not in done.output


def test_db_and_no_db_together_is_a_usage_error(tmp_path: Path, blanks: dict[str, Path]) -> None:
    done = merge(
        blanks["luton"], "--out", tmp_path / "I.xlsx", "--db", tmp_path / "h.sqlite", "--no-db"
    )
    assert done.exit_code == 2 and "--no-db" in done.output
    assert not (tmp_path / "I.xlsx").exists()


def test_store_that_cannot_be_opened_stops_before_writing(
    tmp_path: Path, blanks: dict[str, Path]
) -> None:
    out = tmp_path / "ICS.xlsx"
    bad = tmp_path / "no" / "such" / "h.sqlite"
    done = merge(blanks["luton"], "--out", out, "--catalogue", V1, "--db", bad)
    assert done.exit_code == 1 and "file-not-found" in done.output
    assert not out.exists()


def _sheets(path: Path) -> list[str]:
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True).sheetnames
