"""Movement across a catalogue migration, through `ltpgap merge`: a split commitment inherits
its predecessor's history (tests/data/catalogue-v1.yaml → catalogue-v2.yaml: 3.52 splits into
3.52a and 3.52b, 3.10 is renumbered 3.11)."""

from __future__ import annotations

from pathlib import Path

from histkit import V1, V2, copy_books, merge, set_rags, table_rows

from ltpgap.store import open_store


def test_split_commitment_inherits_its_predecessors_history(
    tmp_path: Path, blanks: dict[str, Path]
) -> None:
    db = str(tmp_path / "history.sqlite")
    books = copy_books(blanks, tmp_path / "returns")
    set_rags(books["luton"], {"3.52": "Red", "3.10": "Amber", "1.8": "Green"})
    set_rags(books["bedford"], {"3.52": "Amber"})
    out = tmp_path / "ICS.xlsx"
    first = merge(*books.values(), "--out", out, "--catalogue", V1, "--db", db)
    assert first.exit_code == 0, first.output
    # Luton updates its (version 1) workbook; the ICS now merges with catalogue version 2.
    set_rags(books["luton"], {"3.52": "Green", "3.10": "Green", "1.8": "Amber"})
    second = merge(books["luton"], "--out", out, "--catalogue", V2, "--from", V1, "--db", db)
    assert second.exit_code == 0, second.output
    rows = table_rows(out, "HistoryMovement")
    seen = {
        (r["Place"], r["Para"]): (r["Before"], r["After"], r["Movement"], r["Compared with"])
        for r in rows
    }
    assert seen[("Luton", "3.52a")] == ("Red", "Green", "▲ improved", "3.52")
    assert seen[("Luton", "3.52b")] == ("Red", "Green", "▲ improved", "3.52")
    assert seen[("Luton", "3.11")] == ("Amber", "Green", "▲ improved", "3.10")
    assert seen[("Luton", "1.8")] == ("Green", "Amber", "▼ worse", None)
    assert ("Luton", "3.52") not in seen  # the old id is gone from Luton's rows
    # Bedford did not resubmit: its recorded answers stand, compared id for id
    assert seen[("Bedford Borough", "3.52")][:3] == ("Amber", "Amber", "▶ no change")
    ics_rag = {p: v for (u, p), v in seen.items() if u.endswith("(ICS RAG)")}
    assert ics_rag["3.52a"][3] == "3.52" and ics_rag["3.11"][3] == "3.10"
    with open_store(db) as store:
        luton = store.history("blmk", place="luton")
    versions = dict(zip(luton["snapshot"], luton["catalogue_version"], strict=False))
    assert versions == {1: "1.0.0", 2: "2.0.0"}  # recorded as the ids' own catalogue
