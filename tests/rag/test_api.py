"""The analyst API: DataFrames in, DataFrames out (assess → summary → rollup)."""

from __future__ import annotations

import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import LtpgapError
from ltpgap.rag import ASSESSED_COLUMNS, ROLLUP_COLUMNS, assess, rollup, rollup_ics, summary

INPUTS = pd.DataFrame(
    [
        {"place": "luton", "para": "1.1", "status": "In place", "coverage": "Full"},
        {"place": "luton", "para": "1.2", "status": "Planned", "coverage": "Partial"},
        {
            "place": "bedford",
            "para": "1.1",
            "status": "in progress",
            "coverage": "full",
            "expected_delivery": "Q4 23/24",
        },
        {"place": "bedford", "para": "1.2", "status": "None"},
        {"place": "central_beds", "para": "1.1", "status": "Planned"},
        {"place": "milton_keynes", "para": "1.1", "not_applicable": "Yes"},
        {"place": "blmk", "para": "2.1", "status": "In place", "coverage": "Full"},
    ]
)


def test_assess_returns_one_row_per_place_and_commitment(small: Catalogue, blmk: IcsConfig) -> None:
    out = assess(INPUTS, catalogue=small, ics=blmk)
    assert tuple(out.columns) == ASSESSED_COLUMNS
    assert out["place"].unique().tolist() == [
        "bedford",
        "central_beds",
        "luton",
        "milton_keynes",
        "blmk",
    ]
    assert len(out) == 4 * len(small) + 1  # the ICS team assesses its one ICS-level commitment
    rags = out.set_index(["place", "para"])["rag"]
    assert rags[("bedford", "1.1")] == "Green"
    assert rags[("bedford", "1.2")] == "Red"
    assert rags[("central_beds", "1.1")] == "Amber"
    assert rags[("blmk", "2.1")] == "Green"
    assert rags[("luton", "2.1")] == "N/A"
    codes = [i.code for i in out.attrs["issues"]]
    # central_beds 1.1 (Planned, no coverage, no date), then luton 1.2 (Planned, no date)
    assert codes == ["coverage-blank", "missing-delivery-date", "missing-delivery-date"]


def test_summary_is_per_place_and_chapter(small: Catalogue, blmk: IcsConfig) -> None:
    out = assess(INPUTS, catalogue=small, ics=blmk)
    table = summary(out, by="chapter", catalogue=small)
    luton = table[(table["place"] == "luton") & (table["chapter"] == 1)].iloc[0]
    assert [luton[k] for k in ("Green", "Amber", "Red", "total", "pct_green")] == [1, 1, 0, 2, 0.5]
    assert int(table["total"].sum()) == len(out)
    overall = summary(out, by=None, catalogue=small)
    assert overall["place"].tolist() == [  # as assess() ordered them: ICS order, team last
        "bedford",
        "central_beds",
        "luton",
        "milton_keynes",
        "blmk",
    ]


def test_rollup_matches_rollup_ics(small: Catalogue, blmk: IcsConfig) -> None:
    out = assess(INPUTS, catalogue=small, ics=blmk)
    frame = rollup(out, ics=blmk, catalogue=small)
    assert tuple(frame.columns) == ROLLUP_COLUMNS
    direct = rollup_ics(
        small,
        out[out["place"] != "blmk"][["place", "para", "rag"]],
        ics=blmk,
        ics_rags=out[out["place"] == "blmk"][["para", "rag"]],
    ).frame
    pd.testing.assert_frame_equal(frame, direct)
    r = frame.set_index("para")
    assert r.loc["2.1", "ics_rag"] == "Green"  # from the ICS team's row
    # 1.1: bedford G, central_beds A, luton G, milton_keynes N/A → weighted over three places:
    # (173,292 + 0.5 × 288,648 + 213,052) / 674,992 = 0.786, just under 0.8
    assert r.loc["1.1", "score"] == pytest.approx((173_292 + 0.5 * 288_648 + 213_052) / 674_992)
    assert r.loc["1.1", "ics_rag"] == "Amber"
    assert r.loc["1.1", "places_excluded"] == "milton_keynes (N/A)"


def test_unknown_place_is_reported(small: Catalogue, blmk: IcsConfig) -> None:
    bad = pd.concat([INPUTS, pd.DataFrame([{"place": "york", "para": "1.1"}])])
    with pytest.raises(LtpgapError) as err:
        assess(bad, catalogue=small, ics=blmk)
    assert err.value.issues[0].code == "place-not-in-ics"
    assert "york" in err.value.issues[0].message


def test_place_column_is_required(small: Catalogue, blmk: IcsConfig) -> None:
    with pytest.raises(LtpgapError) as err:
        assess(INPUTS.drop(columns="place"), catalogue=small, ics=blmk)
    assert err.value.issues[0].code == "missing-column"


def test_defaults_are_the_shipped_catalogue_and_blmk(catalogue: Catalogue) -> None:
    para = next(c.id for c in catalogue if c.level == "place")
    inputs = pd.DataFrame(
        [
            {"place": p, "para": para, "status": "In place", "coverage": "Full"}
            for p in ("bedford", "central_beds", "luton", "milton_keynes")
        ]
    )
    out = assess(inputs)
    assert len(out) == 4 * len(catalogue)
    frame = rollup(out)
    assert frame.set_index("para").loc[para, "ics_rag"] == "Green"
    assert len(summary(out)) > 0
