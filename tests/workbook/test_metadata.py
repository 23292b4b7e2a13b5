"""Identity from the hidden metadata sheet: does the file name name another place?"""

from __future__ import annotations

import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.layout import META_KEYS, META_SHEET, new_meta
from ltpgap.workbook._metadata import read_identity

PLACES = {
    "bedford": "Bedford Borough",
    "central_beds": "Central Bedfordshire",
    "luton": "Luton",
    "milton_keynes": "Milton Keynes",
}


def conflicts(catalogue: Catalogue, unit_id: str, file: str) -> bool:
    """Whether a workbook of ``unit_id`` saved as ``file`` is reported as another place's."""
    meta = new_meta(
        catalogue,
        unit_id=unit_id,
        scope="place",
        unit_name=PLACES[unit_id],
        ics_id="blmk",
        generated_at="2024-01-01T00:00:00Z",
    )
    grid: list[list[object]] = [[key, meta[key]] for key in META_KEYS]
    identity = read_identity(file, [(META_SHEET, "hidden")], lambda name: grid)
    assert identity.unit_id == unit_id  # the metadata wins either way
    return [i.code for i in identity.issues] == ["place-name-conflict"]


@pytest.mark.parametrize(
    ("unit_id", "file"),
    [
        ("bedford", "Central Bedfordshire LTP return.xlsx"),  # 'bedford' inside 'Bedfordshire'
        ("bedford", "bedfordshire.xlsx"),
        ("bedford", "CentralBedfordshire.xlsx"),
        ("bedford", "central_beds.xlsx"),
        ("central_beds", "Bedford Borough.xlsx"),
        ("central_beds", "bedford.xlsx"),
        ("central_beds", "beds.xlsx"),  # part of an id is not the id
        ("central_beds", "Central.xlsx"),
        ("luton", "LTP gaps - Bedford Borough v3 FINAL.xlsx"),
        ("milton_keynes", "Milton.xlsx"),
        ("bedford", "Bedfordshirev2.xlsx"),  # a version glued onto a longer word
        ("luton", "Lutonshire.xlsx"),
    ],
)
def test_a_file_name_naming_another_place_is_a_conflict(
    catalogue: Catalogue, unit_id: str, file: str
) -> None:
    assert conflicts(catalogue, unit_id, file)


@pytest.mark.parametrize(
    ("unit_id", "file"),
    [
        ("bedford", "bedford.xlsx"),
        ("bedford", "Bedford.xlsx"),
        ("bedford", "LTP gap analysis - Bedford Borough v3 FINAL.xlsx"),
        ("bedford", "bedford (2).xlsx"),
        ("bedford", "BEDFORD-BOROUGH_2024.xlsx"),
        ("bedford", "BedfordBorough.xlsx"),
        ("bedford", "Bedford2024.xlsx"),
        ("bedford", "LTPGapsBedford.xlsx"),
        ("bedford", "bedford_borough.xlsx"),
        ("central_beds", "central_beds.xlsx"),
        ("central_beds", "Central Beds LTP.xlsx"),
        ("central_beds", "central-beds v2.xlsx"),
        ("central_beds", "CentralBeds.xlsx"),
        ("central_beds", "Central Bedfordshire LTP return.xlsx"),
        ("central_beds", "centralbedfordshire.xlsx"),
        ("milton_keynes", "Milton Keynes.xlsx"),
        ("milton_keynes", "milton_keynes.xlsx"),
        ("milton_keynes", "MiltonKeynes_FINAL.xlsx"),
        ("luton", "BLMK - Luton return.xlsx"),
        ("luton", "Luton and Bedford.xlsx"),  # names the place (and another): not a conflict
        ("luton", "Lutonv2.xlsx"),  # a version glued on
        ("bedford", "BEDFORDfinal.xlsx"),
        ("milton_keynes", "MiltonKeynesv3.xlsx"),
        ("luton", "luton_draft.xlsx"),
    ],
)
def test_a_file_name_that_mentions_its_place_is_no_conflict(
    catalogue: Catalogue, unit_id: str, file: str
) -> None:
    assert not conflicts(catalogue, unit_id, file)
