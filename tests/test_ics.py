"""The ICS configuration (SPEC §3): BLMK defaults and located errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ltpgap.ics import IcsConfig, Rules, load_ics
from ltpgap.issues import LtpgapError


def test_blmk_is_the_embedded_default(blmk: IcsConfig) -> None:
    assert blmk.id == "blmk"
    assert [(p.id, p.ons_code, p.population) for p in blmk.places] == [
        ("bedford", "E06000055", 173292),
        ("central_beds", "E06000056", 288648),
        ("luton", "E06000032", 213052),
        ("milton_keynes", "E06000042", 269457),
    ]
    assert blmk.population == 944449
    assert blmk.as_at == date(2019, 7, 1)
    assert blmk.rules == Rules()


def test_rules_overridden(tmp_path: Path) -> None:
    path = tmp_path / "ics.yaml"
    path.write_text(
        "ics: {id: test, name: Test ICS}\n"
        "places:\n  - {id: a, name: A, population: 10}\n"
        "rules: {must_do: weighted, weights: {Amber: 0.6}, green_threshold: 0.9}\n"
    )
    ics = load_ics(path)
    assert ics.rules == Rules(must_do="weighted", amber_weight=0.6, green_threshold=0.9)
    assert "Must-do commitments: population-weighted" in ics.rules.describe()[0]


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [
        ("places:\n  - {id: a, name: A, population: -5}\n", "bad-population", 3),
        (
            "places:\n  - {id: a, name: A, population: 5}\n  - {id: a, name: B, population: 5}\n",
            "duplicate-id",
            4,
        ),
        (
            "places:\n  - {id: a, name: Luton, population: 5}\n"
            "  - {id: b, name: ' luton', population: 5}\n",
            "duplicate-name",  # it heads a column of the ICS matrix: they must differ
            4,
        ),
        ("places:\n  - {id: a, name: A, population: 5}\nrules: {others: mean}\n", "bad-rule", 4),
        ("places:\n  - {id: A B, name: A, population: 5}\n", "bad-id", 3),
        ("places: []\n", "missing-field", 1),
    ],
)
def test_bad_ics_file_is_located(tmp_path: Path, body: str, code: str, line: int) -> None:
    path = tmp_path / "ics.yaml"
    path.write_text("ics: {id: t, name: T}\n" + body)
    with pytest.raises(LtpgapError) as err:
        load_ics(path)
    found = [i for i in err.value.issues if i.code == code]
    assert found and found[0].where.line == line, [str(i) for i in err.value.issues]


def test_places_remember_their_line_but_compare_without_it(tmp_path: Path) -> None:
    path = tmp_path / "ics.yaml"
    path.write_text(
        "# an ICS\n"
        "ics:\n"
        "  id: test\n"
        "  name: Test ICS\n"
        "places:\n"
        "  - {id: a, name: A, population: 10}\n"
        "  - id: b\n"
        "    name: B\n"
        "    population: 20\n",
        encoding="utf-8",
    )
    ics = load_ics(path)
    assert (ics.line, [p.line for p in ics.places]) == (2, [6, 7])
    path.write_text("\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = load_ics(path)
    assert [p.line for p in moved.places] == [8, 9]
    assert moved.places == ics.places  # where a place is written is not what it is
