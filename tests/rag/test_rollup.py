"""The ICS roll-up (SPEC §6) with BLMK's real populations, and its composition upward."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Rules, load_ics
from ltpgap.issues import LtpgapError
from ltpgap.rag import ROLLUP_COLUMNS, IcsRollup, rollup_ics, rollup_region, rollup_units

PLACES = ("bedford", "central_beds", "luton", "milton_keynes")
POP = {"bedford": 173_292, "central_beds": 288_648, "luton": 213_052, "milton_keynes": 269_457}
VALUE = {"Green": 1.0, "Amber": 0.5, "Red": 0.0}


def long(rags: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """{para: (bedford, central_beds, luton, milton_keynes)} → place, para, rag."""
    return pd.DataFrame(
        [(p, para, r) for para, four in rags.items() for p, r in zip(PLACES, four, strict=True)],
        columns=["place", "para", "rag"],
    )


def row(result: IcsRollup, para: str) -> pd.Series:
    return result.frame.set_index("para").loc[para]


def test_blmk_fixture_has_the_real_populations(blmk: IcsConfig) -> None:
    assert {p.id: p.population for p in blmk.places} == POP


# 1.2 and 3.10 are must-dos; 1.1 and 3.2 are not.
MUST_DO = [
    (("Green", "Green", "Green", "Red"), "Red"),  # any Red → Red, whatever the population
    (("Green", "Amber", "Green", "Green"), "Amber"),
    (("Green", "Green", "Green", "Green"), "Green"),
    (("Red", "N/A", "Green", "Green"), "Red"),
    (("Green", "N/A", "Green", "Green"), "Green"),  # N/A excluded
    (("Red", "Green", "Green", "Not assessed"), "Red"),
    (("Not assessed", "Green", "Amber", "Green"), "Amber"),
]


@pytest.mark.parametrize(("four", "expected"), MUST_DO)
def test_must_dos_take_the_worst_place(
    small: Catalogue, blmk: IcsConfig, four: tuple[str, ...], expected: str
) -> None:
    result = rollup_ics(small, long({"1.2": four}), ics=blmk)
    r = row(result, "1.2")
    assert (r["ics_rag"], r["rule"]) == (expected, "worst")
    assert math.isnan(r["score"])
    worst = [p for p, x in zip(PLACES, four, strict=True) if x == expected]
    assert r["explanation"].endswith(f"→ {expected} at {', '.join(worst)}")


def weighted(four: tuple[str, ...]) -> float:
    counted = [(POP[p], VALUE[r]) for p, r in zip(PLACES, four, strict=True) if r in VALUE]
    return sum(w * v for w, v in counted) / sum(w for w, _ in counted)


WEIGHTED = [
    # (bedford 173k, central_beds 289k, luton 213k, milton_keynes 269k)
    (("Green", "Green", "Green", "Red"), "Amber"),  # 0.715: one Red is not the end
    (("Green", "Green", "Amber", "Green"), "Green"),  # 0.887
    (("Red", "Green", "Green", "Green"), "Green"),  # 0.817: Bedford is the smallest
    (("Green", "Red", "Green", "Green"), "Amber"),  # 0.694: Central Beds is the largest
    (("Amber", "Amber", "Amber", "Amber"), "Amber"),  # 0.5
    (("Red", "Red", "Amber", "Red"), "Red"),  # 0.113
    (("Red", "Green", "Red", "Amber"), "Amber"),  # 0.448: only just Amber
    (("Red", "Amber", "Red", "Amber"), "Red"),  # 0.295
    (("Amber", "Red", "Amber", "Red"), "Red"),  # 0.204
    (("Green", "N/A", "Red", "Green"), "Amber"),  # 0.741 over three places
]


@pytest.mark.parametrize(("four", "expected"), WEIGHTED)
def test_others_are_population_weighted(
    small: Catalogue, blmk: IcsConfig, four: tuple[str, ...], expected: str
) -> None:
    result = rollup_ics(small, long({"1.1": four}), ics=blmk)
    r = row(result, "1.1")
    assert (r["ics_rag"], r["rule"]) == (expected, "weighted")
    assert r["score"] == pytest.approx(weighted(four))
    band = "Green" if r["score"] >= 0.8 else "Amber" if r["score"] >= 0.4 else "Red"
    assert band == expected


@pytest.mark.parametrize(
    ("weights", "rags", "expected"),
    [
        ({"a": 4, "b": 1}, ("Green", "Red"), "Green"),  # exactly 0.8
        ({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, ("Green",) * 4 + ("Red",), "Green"),  # 0.8
        ({"a": 7, "b": 1, "c": 2}, ("Green", "Red", "Amber"), "Green"),  # 0.7 + 0.1 = 0.8
        ({"a": 79, "b": 21}, ("Green", "Red"), "Amber"),  # 0.79
        ({"a": 799_999, "b": 200_001}, ("Green", "Red"), "Amber"),  # 0.799999
        ({"a": 2, "b": 3}, ("Green", "Red"), "Amber"),  # exactly 0.4
        ({"a": 4, "b": 1}, ("Amber", "Amber"), "Amber"),
        ({"a": 4, "b": 1}, ("Amber", "Red"), "Amber"),  # exactly 0.4 again
        ({"a": 39, "b": 61}, ("Green", "Red"), "Red"),  # 0.39
        ({"a": 399_999, "b": 600_001}, ("Green", "Red"), "Red"),  # 0.399999
    ],
)
def test_weighted_thresholds_at_the_exact_boundaries(
    small: Catalogue, weights: dict[str, int], rags: tuple[str, ...], expected: str
) -> None:
    frame = pd.DataFrame({"unit": list(weights), "para": "1.1", "rag": list(rags)})
    result = rollup_units(small, frame, weights, Rules())
    assert row(result, "1.1")["ics_rag"] == expected


@pytest.mark.parametrize(
    ("four", "expected", "share"),
    [
        (("Green", "Green", "Not assessed", "Not assessed"), "Not assessed", 461_940 / 944_449),
        (("Not assessed", "Green", "Not assessed", "Green"), "Green", 558_105 / 944_449),
        (("Green", "Green", "N/A", "Not assessed"), "Green", 461_940 / 731_397),  # of applicable
        (("Not assessed",) * 4, "Not assessed", 0.0),
        (("Not assessed", "Not assessed", "Red", "N/A"), "Not assessed", 213_052 / 674_992),
    ],
)
def test_not_assessed_when_under_half_the_population_is_assessed(
    small: Catalogue, blmk: IcsConfig, four: tuple[str, ...], expected: str, share: float
) -> None:
    for para in ("1.1", "1.2"):  # weighted and worst alike
        r = row(rollup_ics(small, long({para: four}), ics=blmk), para)
        assert r["ics_rag"] == expected
        assert r["assessed_share"] == pytest.approx(share)
        assert (r["rule"] == "not-assessed-quorum") is (expected == "Not assessed")


@pytest.mark.parametrize(
    ("rags", "expected"),
    [
        (("Red", "Not assessed"), "Red"),  # exactly half assessed: enough
        (("Red", "N/A"), "Red"),
    ],
)
def test_quorum_boundary_half_is_enough(
    small: Catalogue, rags: tuple[str, ...], expected: str
) -> None:
    frame = pd.DataFrame({"unit": ["a", "b"], "para": "1.1", "rag": list(rags)})
    result = rollup_units(small, frame, {"a": 5, "b": 5}, Rules())
    assert row(result, "1.1")["ics_rag"] == expected
    short = rollup_units(small, frame, {"a": 5, "b": 5.0001}, Rules())
    assert row(short, "1.1")["ics_rag"] == ("Not assessed" if "Not assessed" in rags else "Red")


def test_missing_places_are_not_assessed(small: Catalogue, blmk: IcsConfig) -> None:
    only_two = long({"1.1": ("Green",) * 4}).query("place in ['luton', 'bedford']")
    r = row(rollup_ics(small, only_two, ics=blmk), "1.1")
    assert r["ics_rag"] == "Not assessed"
    assert r["places_not_assessed"] == "central_beds, milton_keynes"


def test_applicable_nowhere_is_na(small: Catalogue, blmk: IcsConfig) -> None:
    r = row(rollup_ics(small, long({"1.1": ("N/A",) * 4}), ics=blmk), "1.1")
    assert (r["ics_rag"], r["rule"]) == ("N/A", "not-applicable")
    assert r["explanation"] == "Not applicable in any place → N/A"


def test_ics_level_commitments_are_assessed_once(small: Catalogue, blmk: IcsConfig) -> None:
    places = long({"2.1": ("Red",) * 4})  # would be Red four times if counted per place
    ics_rags = pd.DataFrame({"para": ["2.1"], "rag": ["Green"]})
    r = row(rollup_ics(small, places, ics=blmk, ics_rags=ics_rags), "2.1")
    assert (r["ics_rag"], r["rule"]) == ("Green", "assessed-by-ics")
    assert r["explanation"] == "ICS-level commitment, assessed once by the ICS team → Green"
    assert r["places_counted"] == ""
    missing = row(rollup_ics(small, places, ics=blmk), "2.1")
    assert (missing["ics_rag"], missing["rule"]) == ("Not assessed", "assessed-by-ics")


def test_region_and_national_commitments_are_na_in_ics_figures(
    small: Catalogue, blmk: IcsConfig
) -> None:
    places = long({"2.2": ("Red",) * 4, "3.1": ("Green",) * 4})
    result = rollup_ics(
        small, places, ics=blmk, ics_rags=pd.DataFrame({"para": ["2.2"], "rag": ["Red"]})
    )
    assert result.frame.set_index("para").loc[
        ["2.2", "3.1"], ["ics_rag", "rule"]
    ].to_numpy().tolist() == [
        ["N/A", "not-assessed-locally"],
        ["N/A", "not-assessed-locally"],
    ]


def test_frame_columns_order_and_explanations(small: Catalogue, blmk: IcsConfig) -> None:
    places = long(
        {
            "1.1": ("Green", "N/A", "Amber", "Not assessed"),
            "1.2": ("Green", "Green", "Red", "Green"),
        }
    )
    result = rollup_ics(small, places, ics=blmk)
    assert tuple(result.frame.columns) == ROLLUP_COLUMNS
    assert result.frame["para"].tolist() == list(small.ids)
    r = row(result, "1.1")
    assert r["places_counted"] == "bedford, luton"
    assert r["places_excluded"] == "central_beds (N/A), milton_keynes (not assessed)"
    assert r["places_not_assessed"] == "milton_keynes"
    score = (173_292 + 0.5 * 213_052) / (173_292 + 213_052)
    share = (173_292 + 213_052) / (173_292 + 213_052 + 269_457)
    assert r["explanation"] == (
        f"Weighted score {math.floor(score * 100) / 100:.2f} over 2 places "
        f"({math.floor(share * 100)}% of population) → Amber"
    )
    assert (
        row(result, "1.2")["explanation"] == "Worst of 4 places (100% of population) → Red at luton"
    )


def test_matrix_has_one_column_per_place_in_ics_order(small: Catalogue, blmk: IcsConfig) -> None:
    places = long({"1.1": ("Green", "Amber", "Red", "Green")}).iloc[::-1]
    result = rollup_ics(small, places, ics=blmk)
    assert list(result.matrix.columns) == ["para", *PLACES, "ics_rag"]
    m = result.matrix.set_index("para")
    assert m.loc["1.1"].tolist() == ["Green", "Amber", "Red", "Green", "Amber"]
    assert m.loc["1.2"].tolist() == ["Not assessed"] * 5
    assert m.loc["2.2"].tolist() == ["N/A"] * 5


@pytest.mark.parametrize(
    ("rules", "para", "four", "expected", "rule"),
    [
        (Rules(must_do="weighted"), "1.2", ("Green", "Green", "Green", "Red"), "Amber", "weighted"),
        (Rules(others="worst"), "1.1", ("Green", "Green", "Green", "Amber"), "Amber", "worst"),
        (
            Rules(green_threshold=0.7),
            "1.1",
            ("Green", "Green", "Green", "Red"),
            "Green",
            "weighted",
        ),
        (Rules(amber_threshold=0.5), "1.1", ("Red", "Green", "Red", "Amber"), "Red", "weighted"),
        (Rules(amber_weight=1.0), "1.1", ("Amber",) * 4, "Green", "weighted"),
        (
            Rules(min_assessed_share=0.4),
            "1.1",
            ("Green", "Green", "Not assessed", "Not assessed"),
            "Green",
            "weighted",
        ),
        (
            Rules(min_assessed_share=0.9),
            "1.1",
            ("Green", "Green", "Green", "Not assessed"),
            "Not assessed",
            "not-assessed-quorum",
        ),
    ],
)
def test_rules_can_be_overridden(
    small: Catalogue,
    blmk: IcsConfig,
    rules: Rules,
    para: str,
    four: tuple[str, ...],
    expected: str,
    rule: str,
) -> None:
    default = row(rollup_ics(small, long({para: four}), ics=blmk), para)
    changed = row(
        rollup_ics(small, long({para: four}), ics=blmk.with_rules(**_fields(rules))), para
    )
    assert (changed["ics_rag"], changed["rule"]) == (expected, rule)
    assert default["ics_rag"] != expected or default["rule"] != rule  # the override mattered


def _fields(rules: Rules) -> dict[str, object]:
    return {
        k: getattr(rules, k) for k in Rules.__slots__ if getattr(rules, k) != getattr(Rules(), k)
    }


def test_rules_from_the_ics_file(small: Catalogue, tmp_path: Path) -> None:
    text = (
        Path(load_ics().path or "")
        .read_text()
        .replace(
            "rules: {}",
            "rules: {must_do: weighted, others: worst, weights: {Green: 1, Amber: 0.5, Red: 0}, "
            "green_threshold: 0.7, amber_threshold: 0.3, min_assessed_share: 0.6}",
        )
    )
    path = tmp_path / "blmk.yaml"
    path.write_text(text)
    ics = load_ics(path)
    places = long(
        {
            "1.2": ("Green", "Green", "Green", "Red"),  # must-do now weighted: 0.715 ≥ 0.7
            "1.1": ("Green", "Green", "Green", "Amber"),  # others now worst
            "3.2": ("Green", "Green", "Not assessed", "Not assessed"),  # 49% < 60%
        }
    )
    result = rollup_ics(small, places, ics=ics)
    got = result.frame.set_index("para").loc[["1.2", "1.1", "3.2"], ["ics_rag", "rule"]]
    assert got.to_numpy().tolist() == [
        ["Green", "weighted"],
        ["Amber", "worst"],
        ["Not assessed", "not-assessed-quorum"],
    ]
    assert "under 60%" in row(result, "3.2")["explanation"]


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (pd.DataFrame({"place": ["york"], "para": ["1.1"], "rag": ["Red"]}), "place-not-in-ics"),
        (
            pd.DataFrame(
                {"place": ["luton", "luton"], "para": ["1.1", "1.1"], "rag": ["Red", "Green"]}
            ),
            "duplicate-para",
        ),
        (pd.DataFrame({"place": ["luton"], "para": ["1.1"], "rag": ["red"]}), "unrecognised-value"),
    ],
)
def test_bad_input_is_reported(
    small: Catalogue, blmk: IcsConfig, frame: pd.DataFrame, code: str
) -> None:
    with pytest.raises(LtpgapError) as err:
        rollup_ics(small, frame, ics=blmk)
    assert [i.code for i in err.value.issues] == [code]


def test_unknown_paras_are_ignored(small: Catalogue, blmk: IcsConfig) -> None:
    frame = pd.DataFrame({"place": ["luton"], "para": ["9.9"], "rag": ["Red"]})
    assert rollup_ics(small, frame, ics=blmk).rag_counts()["Red"] == 0


@pytest.mark.parametrize("weight", [0, -1, float("nan")])
def test_weights_must_be_positive(small: Catalogue, weight: float) -> None:
    frame = pd.DataFrame({"unit": ["a"], "para": ["1.1"], "rag": ["Red"]})
    with pytest.raises(LtpgapError) as err:
        rollup_units(small, frame, {"a": weight}, Rules())
    assert err.value.issues[0].code == "bad-population"


# --- upward: ICS → region → national ---------------------------------------------------------


def test_region_weights_icss_by_population_and_rolls_ics_level_commitments(
    small: Catalogue,
) -> None:
    ics = {
        "north": pd.DataFrame(
            {"para": ["1.1", "1.2", "2.1", "2.2"], "ics_rag": ["Green", "Green", "Red", "N/A"]}
        ),
        "south": pd.DataFrame(
            {"para": ["1.1", "1.2", "2.1", "2.2"], "ics_rag": ["Red", "Amber", "Green", "N/A"]}
        ),
    }
    region = rollup_region(small, ics, {"north": 3_000_000, "south": 1_000_000}, region_id="r")
    got = region.frame.set_index("para").loc[
        ["1.1", "1.2", "2.1", "2.2", "3.10"], ["ics_rag", "rule"]
    ]
    assert got.loc["1.1"].tolist() == ["Amber", "weighted"]
    assert row(region, "1.1")["score"] == pytest.approx(0.75)
    assert got.loc["1.2"].tolist() == ["Amber", "worst"]
    assert got.loc["2.1"].tolist() == ["Red", "weighted"]  # 0.25: north is bigger
    assert got.loc["2.2"].tolist() == ["N/A", "not-assessed-locally"]
    assert got.loc["3.10"].tolist() == ["Not assessed", "not-assessed-quorum"]
    assert row(region, "1.1")["explanation"] == (
        "Weighted score 0.75 over 2 ICSs (100% of population) → Amber"
    )
    assert list(region.matrix.columns) == ["para", "north", "south", "ics_rag"]


def test_national_rolls_regions_the_same_way(small: Catalogue, blmk: IcsConfig) -> None:
    places = long({"1.1": ("Green", "Green", "Amber", "Green"), "1.2": ("Red",) * 4})
    blmk_result = rollup_ics(small, places, ics=blmk)
    east = rollup_region(small, {"blmk": blmk_result}, {"blmk": blmk.population})
    other = pd.DataFrame({"para": ["1.1", "1.2"], "ics_rag": ["Green", "Green"]})
    london = rollup_region(small, {"nel": other}, {"nel": 2_000_000})
    national = rollup_region(
        small,
        {"east": east, "london": london},
        {"east": 944_449, "london": 2_000_000},
        unit_label="region",
    )
    assert row(national, "1.1")["ics_rag"] == "Green"
    assert row(national, "1.2")["ics_rag"] == "Red"  # a must-do Red anywhere stays Red
    assert (
        row(national, "1.2")["explanation"]
        == "Worst of 2 regions (100% of population) → Red at east"
    )


def test_region_needs_a_population_for_each_ics(small: Catalogue) -> None:
    with pytest.raises(LtpgapError) as err:
        rollup_region(small, {"x": pd.DataFrame({"para": [], "ics_rag": []})}, {"y": 1})
    assert err.value.issues[0].code == "bad-population"


def test_an_ics_without_results_counts_as_not_assessed(small: Catalogue) -> None:
    north = pd.DataFrame({"para": ["1.1"], "ics_rag": ["Green"]})
    region = rollup_region(small, {"north": north}, {"north": 1, "south": 3})
    r = row(region, "1.1")
    assert (r["ics_rag"], r["places_not_assessed"]) == ("Not assessed", "south")
    assert r["explanation"] == (
        "ICSs assessed hold 25% of the population where it applies (under 50%) → Not assessed"
    )
