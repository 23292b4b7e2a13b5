"""Carrying a place's inputs through a migration plan: table-driven, one case per kind."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from migration_factory import catalogue, commitment

from ltpgap.catalogue import load_catalogue
from ltpgap.catalogue.migration import RETIRED_LEAD, apply_plan, format_value, plan_migration
from ltpgap.schema import INPUT_KEYS

DATA = Path(__file__).resolve().parents[1] / "data"
C = commitment


def _inputs(rows: dict[str, dict[str, object]], extra: str | None = None) -> pd.DataFrame:
    records = [{"para": p, **values} for p, values in rows.items()]
    columns = ["para", "row", *INPUT_KEYS, *([extra] if extra else [])]
    frame = pd.DataFrame(records, columns=columns, dtype=object)
    frame["row"] = range(2, 2 + len(frame))
    return frame


def _row(result_rows: pd.DataFrame, para: str) -> dict[str, object]:
    found = result_rows[result_rows["para"] == para]
    assert len(found) == 1, f"{para}: {len(found)} rows"
    return {k: (None if pd.isna(v) else v) for k, v in found.iloc[0].to_dict().items()}


FILLED_2_9 = {
    "initiatives": "Smoke-free hospital service",
    "status": "In progress",
    "coverage": "Partial",
    "expected_delivery": date(2024, 3, 31),
    "lead": "Public health",
    "evidence": "Business case approved",
    "Local priority": "High",
}


def test_fixture_v1_to_v2_keeps_every_input_in_its_place() -> None:
    plan = plan_migration(
        load_catalogue(DATA / "catalogue-v1.yaml"), load_catalogue(DATA / "catalogue-v2.yaml")
    )
    before = {
        "4.1": {"initiatives": "Local workforce plan", "lead": "HR director"},
        "3.52": {"initiatives": "MHST wave 1", "status": "In place", "coverage": "Partial"},
        "2.16": {"initiatives": "Digital DPP", "status": "Planned", "lead": "Ann"},
        "2.15": {"initiatives": "NDPP", "status": "In place", "lead": "Ann"},
        "3.10": {
            "initiatives": "Continuity teams",
            "status": "In progress",
            "rag_override": "Red",
            "override_reason": "Staffing",
        },
        "2.9": FILLED_2_9,
        "1.8": {"status": "In place", "coverage": "Full", "Local priority": "Low"},
    }
    result = apply_plan(plan, _inputs(before, extra="Local priority"))
    assert list(result.rows["para"]) == list(plan.new.ids)
    assert list(result.rows.columns) == ["para", *INPUT_KEYS, "Local priority"]
    assert result.extra_columns == ("Local priority",)

    # reworded and unchanged rows keep their inputs exactly, extra column included
    assert _row(result.rows, "2.9") == {"para": "2.9", **dict.fromkeys(INPUT_KEYS), **FILLED_2_9}
    assert _row(result.rows, "1.8")["Local priority"] == "Low"
    # renumbered: the inputs move from 3.10 to 3.11
    moved = _row(result.rows, "3.11")
    assert (moved["initiatives"], moved["rag_override"], moved["override_reason"]) == (
        "Continuity teams",
        "Red",
        "Staffing",
    )
    # split: copied to each successor
    for para in ("3.52a", "3.52b"):
        row = _row(result.rows, para)
        assert (row["initiatives"], row["status"], row["coverage"]) == (
            "MHST wave 1",
            "In place",
            "Partial",
        )
    # merged: text labelled and joined, Lead kept once, Status the worse, disagreement noted
    merged = _row(result.rows, "2.15")
    assert merged["initiatives"] == "[2.15] NDPP; [2.16] Digital DPP"
    assert merged["lead"] == "Ann"
    assert merged["status"] == "Planned"
    assert merged["evidence"] == (
        "[merged] Status: 2.15 'In place', 2.16 'Planned' → 'Planned' (the worse)"
    )
    # added: blank
    assert all(v is None for k, v in _row(result.rows, "1.13").items() if k != "para")
    # retired: the row and its inputs, with the old title
    assert list(result.retired.columns) == [*RETIRED_LEAD, *INPUT_KEYS, "Local priority"]
    retired = _row(result.retired, "4.1")
    assert (retired["title"], retired["initiatives"], retired["lead"]) == (
        "Workforce implementation plan",
        "Local workforce plan",
        "HR director",
    )
    assert retired["reason"] == "retired: not in catalogue ltp-test 2.0.0"
    assert sorted((f.code, f.commitment) for f in result.flags) == [
        ("migration-merged", "2.15"),
        ("migration-retired", "4.1"),
        ("migration-split", "3.52a"),
        ("migration-split", "3.52b"),
    ]


# (column, value in 2.15, value in 2.16, value kept, a [merged] note is written)
MERGE_RULES = [
    ("status", "In place", "Planned", "Planned", True),
    ("status", "In place", None, "In place", False),
    ("status", " in-progress ", "None", "None", True),
    ("status", "Done!", "In progress", "In progress", True),
    ("status", "in place", "In place", "in place", True),
    ("coverage", "Full", "Partial", "Partial", True),
    ("coverage", "Full", "Full", "Full", False),
    ("expected_delivery", "2023/24", date(2025, 3, 31), date(2025, 3, 31), True),
    ("expected_delivery", datetime(2026, 1, 1), "Q4 24/25", datetime(2026, 1, 1), True),
    ("expected_delivery", "soon", "2023/24", "2023/24", True),
    ("not_applicable", "Yes", "Yes", "Yes", False),
    ("not_applicable", "Yes", None, None, True),
    ("rag_override", "Green", "Red", "Red", True),
    ("rag_override", None, "A", "A", False),
    ("initiatives", "NDPP", "Digital DPP", "[2.15] NDPP; [2.16] Digital DPP", False),
    ("initiatives", None, "Digital DPP", "Digital DPP", False),
    ("lead", "Ann", "Ann", "Ann", False),
    ("override_reason", 2024, 2024.0, 2024, False),
    ("Local priority", "High", "Low", "[2.15] High; [2.16] Low", False),
]


@pytest.mark.parametrize(("key", "first", "second", "kept", "noted"), MERGE_RULES)
def test_merge_rule(key: str, first: object, second: object, kept: object, noted: bool) -> None:
    plan = plan_migration(
        catalogue(C("2.15"), C("2.16")), catalogue(C("2.15", replaces=("2.15", "2.16")))
    )
    inputs = _inputs({"2.15": {key: first}, "2.16": {key: second}}, extra="Local priority")
    row = _row(apply_plan(plan, inputs).rows, "2.15")
    assert row[key] == kept
    evidence = row["evidence"] if key != "evidence" else None
    assert (evidence is not None and str(evidence).startswith("[merged] ")) == noted
    if noted:
        for value in (first, second):
            if value is not None:
                assert f"'{format_value(value)}'" in str(evidence)


def test_merge_note_follows_existing_evidence() -> None:
    plan = plan_migration(
        catalogue(C("2.15"), C("2.16")), catalogue(C("2.15", replaces=("2.15", "2.16")))
    )
    inputs = _inputs(
        {
            "2.15": {"evidence": "Audit 2023", "coverage": "Full"},
            "2.16": {"coverage": "Partial"},
        }
    )
    row = _row(apply_plan(plan, inputs).rows, "2.15")
    assert row["evidence"] == (
        "Audit 2023; [merged] Coverage: 2.15 'Full', 2.16 'Partial' → 'Partial' (the worse)"
    )


def test_rows_that_match_no_commitment_are_kept_in_retired() -> None:
    plan = plan_migration(catalogue(C("2.9")), catalogue(C("2.9")))
    inputs = _inputs(
        {
            "2.9": {"initiatives": "first"},
            " 9.99 ": {"lead": "Someone"},
            "": {"evidence": "orphan note"},
            "1.1": {},  # blank row for an unknown para: nothing to keep
        }
    )
    duplicate = _inputs({"2.9": {"initiatives": "second"}})
    result = apply_plan(plan, pd.concat([inputs, duplicate], ignore_index=True))
    assert _row(result.rows, "2.9")["initiatives"] == "first"
    got = [(r["para"], r["reason"]) for r in result.retired.to_dict("records")]
    assert got == [
        ("9.99", "Para '9.99' is not a commitment of catalogue test 1.0.0"),
        ("", "a row without a Para"),
        ("2.9", "a second row for 2.9 (the first row was migrated)"),
    ]
    assert [f.code for f in result.flags] == ["unknown-para", "unknown-para", "duplicate-para"]
    assert list(result.retired["initiatives"]) == [None, None, "second"]


def test_ics_scope_keeps_only_ics_rows_and_retires_rows_leaving_scope() -> None:
    old = catalogue(C("1.52", level="ics"), C("5.26", level="ics"))
    new = catalogue(C("1.52", level="ics"), C("5.26", level="place"), C("6.8", level="ics"))
    inputs = _inputs({"1.52": {"status": "In place"}, "5.26": {"lead": "CIO"}})
    result = apply_plan(plan_migration(old, new), inputs, scope="ics")
    assert list(result.rows["para"]) == ["1.52", "6.8"]
    assert _row(result.retired, "5.26")["reason"] == (
        "now 5.26 (place level): not assessed in this ics workbook"
    )
    assert _row(result.retired, "5.26")["lead"] == "CIO"


def test_split_flags_only_rows_that_received_inputs() -> None:
    plan = plan_migration(
        catalogue(C("3.52"), C("3.53")),
        catalogue(
            C("3.52a", replaces=("3.52",)),
            C("3.52b", replaces=("3.52",)),
            C("3.53a", replaces=("3.53",)),
            C("3.53b", replaces=("3.53",)),
        ),
    )
    result = apply_plan(plan, _inputs({"3.52": {"lead": "Bo"}, "3.53": {}}))
    assert [(f.code, f.commitment) for f in result.flags] == [
        ("migration-split", "3.52a"),
        ("migration-split", "3.52b"),
    ]
    assert "3.52 was split into 3.52a, 3.52b" in result.flags[0].message


def test_missing_input_columns_come_back_blank() -> None:
    plan = plan_migration(catalogue(C("2.9")), catalogue(C("2.9")))
    result = apply_plan(plan, pd.DataFrame({"para": ["2.9"], "status": ["Planned"]}))
    assert list(result.rows.columns) == ["para", *INPUT_KEYS]
    assert _row(result.rows, "2.9") == {
        "para": "2.9",
        **dict.fromkeys(INPUT_KEYS),
        "status": "Planned",
    }


def test_migration_core_is_pure() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ltpgap.catalogue.migration; "
        "print(sorted(m for m in ('openpyxl', 'xlwings') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
