"""The illustrative round 1 looks like a system mid-way through planning (the real rules say so).

Shares are of the commitments that apply to the unit (its level, not N/A), as `% green` and
`% assessed` in a place summary are.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.demo._phrases import theme_of
from ltpgap.demo.illustrative import HAND_WRITTEN, ILLUSTRATIVE
from ltpgap.ics import IcsConfig
from ltpgap.rag import normalise_inputs

PLACES = ["bedford", "central_beds", "luton", "milton_keynes"]


def shares(frame: pd.DataFrame, unit: str, level: str) -> dict[str, float]:
    """RAG shares of the unit's applicable commitments, and how many were N/A."""
    rows = frame[(frame["place"] == unit) & (frame["level"] == level)]
    applicable = rows[rows["rag"] != "N/A"]
    counts = applicable["rag"].value_counts()
    out = {rag: counts.get(rag, 0) / len(applicable) for rag in ("Green", "Amber", "Red")}
    out["assessed"] = 1 - counts.get("Not assessed", 0) / len(applicable)
    out["n/a"] = float((rows["rag"] == "N/A").sum())
    return out


@pytest.mark.parametrize("place", PLACES)
def test_each_place_assesses_most_with_a_plausible_mix(first: pd.DataFrame, place: str) -> None:
    got = shares(first, place, "place")
    assert 0.70 <= got["assessed"] <= 0.85, got
    assert 0.35 <= got["Green"] <= 0.50, got
    assert 0.25 <= got["Amber"] <= 0.35, got
    assert 0.10 <= got["Red"] <= 0.20, got
    assert 1 <= got["n/a"] <= 8, got  # a few N/A


def test_ics_team_assesses_about_four_in_five(first: pd.DataFrame, blmk: IcsConfig) -> None:
    got = shares(first, blmk.id, "ics")
    assert 0.75 <= got["assessed"] <= 0.85, got
    assert min(got["Green"], got["Amber"], got["Red"]) > 0, got


def green_share(frame: pd.DataFrame, keep: pd.Series) -> pd.Series:
    """Green share of applicable rows per place, among the rows ``keep`` selects."""
    rows = frame[keep & frame["place"].isin(PLACES) & (frame["rag"] != "N/A")]
    return (rows["rag"] == "Green").groupby(rows["place"]).mean()


@pytest.mark.parametrize(
    ("place", "select", "best"),
    [
        ("luton", lambda f, cat: f["programme_area"] == "prevention", True),
        ("milton_keynes", lambda f, cat: f["section"].str.startswith("Digitally-enabled"), True),
        (
            "central_beds",
            lambda f, cat: f["para"].map(lambda p: theme_of(cat.by_id[p])).eq("maternity"),
            False,
        ),
    ],
    ids=["luton-prevention", "mk-digital", "central-beds-maternity"],
)
def test_places_differ(
    first: pd.DataFrame, catalogue: Catalogue, place: str, select: object, best: bool
) -> None:
    by_place = green_share(first, select(first, catalogue))  # type: ignore[operator]
    others = by_place.drop(place)
    if best:
        assert by_place[place] > others.max() + 0.1, by_place.to_dict()
    else:
        assert by_place[place] < others.min() - 0.1, by_place.to_dict()


def test_hand_written_rows_are_kept_as_they_were() -> None:
    for unit, rows in HAND_WRITTEN.items():
        for para, values in rows.items():
            assert ILLUSTRATIVE[unit][para] == values, (unit, para)
        assert len(ILLUSTRATIVE[unit]) > 2 * len(rows), unit  # and many more were generated


@pytest.mark.parametrize("place", PLACES)
def test_na_and_overrides_come_with_reasons(place: str) -> None:
    rows = ILLUSTRATIVE[place]
    na = [v for v in rows.values() if str(v.get("not_applicable", "")).lower() in {"yes", "y"}]
    assert na and sum(bool(v.get("evidence")) for v in na) >= len(na) - 1, na  # Luton 3.56: none
    overrides = [v for v in rows.values() if v.get("rag_override")]
    assert sum(bool(v.get("override_reason")) for v in overrides) >= 1, overrides


def test_the_odd_rows_raise_every_kind_of_check(first: pd.DataFrame) -> None:
    codes = {i.code for i in first.attrs["issues"]}
    assert codes >= {
        "missing-delivery-date",
        "coverage-blank",
        "ambiguous-rag",  # Amber/Red
        "missing-status",
        "bad-delivery-date",
        "override-without-reason",
    }


@pytest.mark.parametrize("place", PLACES)
def test_each_place_has_rows_raising_checks(first: pd.DataFrame, place: str) -> None:
    checks = first.loc[first["place"] == place, "checks"]
    for text in ("Expected delivery is blank", "Coverage is blank"):
        assert checks.str.contains(text).any(), (place, text)


#: The written forms of Expected delivery the brief names, as patterns.
DATE_FORMS = {
    "31/03/2024": re.compile(r"^\d{2}/\d{2}/\d{4}$"),
    "2023/24": re.compile(r"^\d{4}/\d{2}$"),
    "Q4 23/24": re.compile(r"^Q[1-4] \d{2}/\d{2}$"),
    "March 2022": re.compile(r"^[A-Z][a-z]+ \d{4}$"),
}


@pytest.mark.parametrize("place", PLACES)
def test_delivery_dates_are_written_in_every_accepted_form(place: str) -> None:
    written = [
        v["expected_delivery"] for v in ILLUSTRATIVE[place].values() if "expected_delivery" in v
    ]
    for form, pattern in DATE_FORMS.items():
        assert any(isinstance(w, str) and pattern.match(w) for w in written), (place, form)
    assert any(not isinstance(w, str) for w in written), place  # and real date cells


def test_statuses_are_typed_in_more_than_one_case() -> None:
    statuses = {
        v["status"] for rows in ILLUSTRATIVE.values() for v in rows.values() if "status" in v
    }
    assert {"In place", "In progress", "Planned", "None"} <= statuses
    assert any(s not in {"In place", "In progress", "Planned", "None"} for s in statuses)
    for status in statuses:  # every one of them still reads as a dropdown value
        normalised, issues = normalise_inputs({"status": status}, para="1.8")
        assert normalised.status is not None and not issues, status


def test_leads_are_roles_not_people() -> None:
    leads = {v["lead"] for rows in ILLUSTRATIVE.values() for v in rows.values() if "lead" in v}
    role_words = ("Lead", "Commissioner", "Director", "Manager", "Head", "Officer", "Chair",
                  "Consultant", "Commissioning")  # fmt: skip
    assert all(any(w in lead for w in role_words) for lead in leads), sorted(leads)
