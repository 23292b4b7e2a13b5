"""Round 1 and round 2 of the illustrative inputs: deterministic, and round 2 shows movement."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.demo.illustrative import ILLUSTRATIVE, generate, illustrative_round, progress
from ltpgap.ics import IcsConfig
from ltpgap.rag import normalise_inputs
from ltpgap.rag.movement import classify

UNITS = ["bedford", "central_beds", "luton", "milton_keynes", "blmk"]
Inputs = dict[str, dict[str, dict[str, object]]]


def test_round_one_is_the_default(catalogue: Catalogue) -> None:
    assert illustrative_round(1) == ILLUSTRATIVE
    assert generate(catalogue) == ILLUSTRATIVE
    assert illustrative_round() == ILLUSTRATIVE


def test_round_two_is_the_same_every_time(round_two: Inputs) -> None:
    assert illustrative_round(2) == round_two
    assert progress(ILLUSTRATIVE, round=2) == round_two
    assert illustrative_round(3) != round_two  # a third round moves on again


_DUMP = (
    "import json; from ltpgap.demo.illustrative import illustrative_round; "
    "print(json.dumps(illustrative_round(2), default=str, sort_keys=True))"
)


def test_no_run_time_randomness_across_processes(round_two: Inputs) -> None:
    """Python's string hashing differs per process; the rows must not."""
    dumps = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DUMP], env=env, capture_output=True, text=True, check=True
        )
        dumps.append(done.stdout)
    assert dumps[0] == dumps[1]
    assert json.loads(dumps[0]) == json.loads(json.dumps(round_two, default=str, sort_keys=True))


def movement(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Per unit and commitment: round 1 RAG, round 2 RAG and the movement word."""
    both = first[["place", "para", "rag"]].merge(
        second[["place", "para", "rag"]], on=["place", "para"], suffixes=("_1", "_2")
    )
    both["movement"] = [classify(a, b) for a, b in zip(both["rag_1"], both["rag_2"], strict=True)]
    return both


@pytest.mark.parametrize("unit", UNITS)
def test_round_two_has_improved_no_change_and_worse(
    first: pd.DataFrame, second: pd.DataFrame, unit: str
) -> None:
    moved = movement(first, second)
    words = moved.loc[moved["place"] == unit, "movement"].value_counts()
    assert words.get("improved", 0) >= 1 and words.get("worse", 0) >= 1, words.to_dict()
    assert words.get("no change", 0) > words.get("improved", 0), words.to_dict()
    assert words.get("improved", 0) > words.get("worse", 0), words.to_dict()  # net progress
    rows = moved[moved["place"] == unit]
    started = rows[(rows["rag_1"] == "Not assessed") & (rows["rag_2"] != "Not assessed")]
    assert len(started) >= 2, unit  # new initiatives where nothing was entered


def test_a_slip_turns_green_to_red(first: pd.DataFrame, second: pd.DataFrame) -> None:
    moved = movement(first, second)
    slipped = moved[(moved["rag_1"] == "Green") & (moved["rag_2"] == "Red")]
    assert len(slipped) >= 4
    reasons = second.set_index(["place", "para"]).loc[
        list(zip(slipped.place, slipped.para, strict=True))
    ]
    assert reasons["rule"].eq("misses-deadline").all()


def test_initiatives_progress_the_way_plans_do(round_two: Inputs) -> None:
    steps: set[tuple[object, object]] = set()
    for unit, rows in ILLUSTRATIVE.items():
        for para, before in rows.items():
            old, _ = normalise_inputs(before, para=para)
            new, _ = normalise_inputs(round_two[unit][para], para=para)
            steps.add((old.status, new.status))
            steps.add((old.coverage, new.coverage))
    assert {("Planned", "In progress"), ("In progress", "In place"), ("Partial", "Full")} <= steps
    assert {("In place", "Planned"), ("Full", "Partial")}.isdisjoint(steps)  # never backwards


def test_round_two_loses_nothing_and_keeps_na_and_overrides(round_two: Inputs) -> None:
    for unit, rows in ILLUSTRATIVE.items():
        assert set(rows) <= set(round_two[unit]), unit
        for para, before in rows.items():
            if before.get("not_applicable") or before.get("rag_override"):
                assert round_two[unit][para] == before, (unit, para)


def test_round_must_be_positive() -> None:
    with pytest.raises(ValueError, match="round"):
        illustrative_round(0)


def test_ics_team_rows_stay_ics_level(
    catalogue: Catalogue, blmk: IcsConfig, round_two: Inputs
) -> None:
    assert {catalogue.by_id[p].level for p in round_two[blmk.id]} == {"ics"}
    for place in blmk.place_ids:
        assert {catalogue.by_id[p].level for p in round_two[place]} == {"place"}
