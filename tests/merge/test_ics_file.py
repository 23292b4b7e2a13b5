"""The server's ICS file against the ICS workbook's metadata (the add-in's ICS Recompute): new
populations are recorded and nothing else moves; other places or rules are named."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ltpgap.ics import IcsConfig
from ltpgap.merge._ics_file import columns_changed, population_meta
from ltpgap.merge._sheets import ics_checksum, meta_json
from ltpgap.merge.ics_data import IcsWorkbook, ics_workbook
from ltpgap.merge.model import PlaceRef


def _meta(ics: IcsConfig) -> dict[str, str]:
    """Metadata as a merge with this ICS file records it (with the per-unit fields a merge
    writes that Recompute must keep)."""
    places = [
        PlaceRef(
            id=p.id,
            name=p.name,
            population=p.population,
            file=f"{p.id}.xlsx",
            rows=120 + i,
            crc={"status": f"{i:08x}"},
            edited_after="2026-12-01T09:00:00Z" if i == 1 else "",
        ).as_json()
        for i, p in enumerate(ics.places)
    ]
    team = PlaceRef(id=ics.id, name=ics.name, population=ics.population)
    meta = {
        "scope": "ics-merge",
        "unit_id": ics.id,
        "unit_name": ics.name,
        "places": meta_json(places),
        "ics_team": meta_json(team.as_json()),
        "rules": meta_json(asdict(ics.rules)),
        "generated_at": "2026-12-08T02:23:01Z",
    }
    return meta | {"checksum": ics_checksum(meta)}


def _read(meta: dict[str, str]) -> IcsWorkbook:
    """The workbook of these metadata values, as Recompute reads it."""
    return ics_workbook(meta, {}, path="ICS.xlsx")


def test_the_file_the_workbook_was_merged_with_changes_nothing(blmk: IcsConfig) -> None:
    meta = _meta(blmk)
    assert columns_changed(_read(meta), blmk) is None
    assert population_meta(_read(meta), meta, blmk) == {}


@given(st.lists(st.integers(0, 10**7), min_size=4, max_size=4))
def test_new_populations_are_recorded_and_nothing_else(blmk: IcsConfig, people: list[int]) -> None:
    now = replace(
        blmk,
        places=tuple(replace(p, population=n) for p, n in zip(blmk.places, people, strict=True)),
    )
    meta = _meta(blmk)
    assert columns_changed(_read(meta), now) is None  # populations move no column
    changed = population_meta(_read(meta), meta, now)
    after = meta | changed
    was, places = json.loads(meta["places"]), json.loads(after["places"])
    assert [p["population"] for p in places] == people
    assert [{**p, "population": 0} for p in places] == [{**p, "population": 0} for p in was]
    assert json.loads(after["ics_team"])["population"] == sum(people)
    assert after["checksum"] == ics_checksum(after)  # it held before, so it holds after
    assert population_meta(_read(after), after, now) == {}  # recorded once
    assert set(changed) <= {"places", "ics_team", "checksum"}


def test_a_checksum_broken_by_hand_stays_broken(blmk: IcsConfig) -> None:
    """Recompute does not vouch for metadata edited by hand (``metadata-edited`` still says
    so after it)."""
    meta = _meta(blmk) | {"as_at": "2019-01-01"}  # typed in by hand: checksum no longer holds
    now = replace(blmk, places=(replace(blmk.places[0], population=1), *blmk.places[1:]))
    changed = population_meta(_read(meta), meta, now)
    assert "places" in changed and "checksum" not in changed
    assert (meta | changed)["checksum"] != ics_checksum(meta | changed)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda ics: replace(ics, places=ics.places[1:]), "is in the workbook but not in"),
        (lambda ics: replace(ics, places=ics.places[::-1]), "in another order"),
        (lambda ics: replace(ics, rules=replace(ics.rules, must_do="weighted")), "must_do"),
    ],
)
def test_other_places_or_rules_are_named(blmk: IcsConfig, change: object, said: str) -> None:
    issue = columns_changed(_read(_meta(blmk)), change(blmk))  # type: ignore[operator]
    assert issue is not None and issue.code == "ics-file-changed" and said in issue.message
