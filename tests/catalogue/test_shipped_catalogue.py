"""The shipped commitments.yaml holds what issue 2 and SPEC §2 promise."""

from __future__ import annotations

from collections import Counter

import pytest

from ltpgap.catalogue import Catalogue, check_catalogue

#: Seed 002 Appendix A, read cell by cell: (life course, programme area) -> paragraphs.
SEED_GRID: dict[tuple[str, str], tuple[str, ...]] = {
    ("starting_well", "prevention"): ("2.10", "2.23"),
    ("starting_well", "maternity_cyp"): ("2.28", "2.29", "3.10"),
    ("starting_well", "major_conditions"): ("3.9", "3.38", "3.39"),
    ("starting_well", "new_models"): ("1.9", "2.37", "5.26"),
    ("living_well", "prevention"): ("2.9", "2.11", "2.14", "2.21", "3.54"),
    ("living_well", "primary_out_of_hospital"): ("1.26", "1.30", "2.30", "1.41", "1.38"),
    ("living_well", "maternity_cyp"): ("3.26", "3.27", "3.28", "3.29"),
    ("living_well", "major_conditions"): ("3.59", "2.15", "2.17", "2.20", "3.52", "3.56"),
    ("ageing_well", "prevention"): ("1.20",),
    ("ageing_well", "primary_out_of_hospital"): ("1.8", "1.15", "1.34", "1.42"),
    ("ageing_well", "major_conditions"): ("2.16",),
}
SEED_PARAS = [p for paras in SEED_GRID.values() for p in paras]

#: Paragraphs whose number AND topic ltp_facts.md marks verified (V).
VERIFIED_IN_REFERENCE = {
    "1.1", "1.2", "1.3", "2.8", "2.9", "2.10", "2.11", "2.12", "2.14", "2.15", "2.20", "2.22",
    "3.1", "3.2", "3.3", "3.8", "3.9", "3.10", "3.13", "3.31", "3.32", "3.51", "3.66", "3.67",
    "3.68", "3.107", "3.108", "4.8", "4.9", "4.10", "5.1", "5.2", "5.3", "7.1", "7.2", "7.3",
}  # fmt: skip

PROGRAMME_AREAS = {
    "prevention",
    "primary_out_of_hospital",
    "maternity_cyp",
    "major_conditions",
    "new_models",
    "enablers",
}


def test_shipped_catalogue_is_valid_without_warnings() -> None:
    catalogue, issues = check_catalogue()
    assert catalogue is not None
    assert [str(i) for i in issues] == []


def test_breadth(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 150
    assert set(Counter(c.chapter for c in catalogue)) == set(range(1, 8))
    assert {c.programme_area for c in catalogue} == PROGRAMME_AREAS
    assert {a.id for a in catalogue.programme_areas} == PROGRAMME_AREAS


def test_seed_paragraph_count() -> None:
    assert len(SEED_PARAS) == len(set(SEED_PARAS)) == 37


@pytest.mark.parametrize(
    ("stage", "area", "para"),
    [(s, a, p) for (s, a), paras in SEED_GRID.items() for p in paras],
)
def test_seed_paragraph_placed_as_in_appendix_a(
    catalogue: Catalogue, stage: str, area: str, para: str
) -> None:
    c = catalogue.get(para)
    assert c is not None, f"seed paragraph {para} missing"
    assert (c.life_course, c.programme_area) == (stage, area)


def test_every_commitment_complete(catalogue: Catalogue) -> None:
    for c in catalogue:
        assert c.title and len(c.title) <= 80, c.id
        assert c.commitment, c.id
        assert c.due is not None, c.id
        assert c.level in ("place", "ics", "region", "national"), c.id
        assert c.if_section in range(2, 9), c.id
        assert c.must_do == (c.if_section in (2, 3)), c.id
        assert c.provenance.source, c.id


def test_levels_are_used(catalogue: Catalogue) -> None:
    levels = Counter(c.level for c in catalogue)
    assert levels["place"] > 0 and levels["ics"] > 0
    assert levels["region"] + levels["national"] > 0


def test_provenance_is_honest(catalogue: Catalogue) -> None:
    verified = {c.id.rstrip("abcdefgh") for c in catalogue if c.provenance.para_verified}
    assert verified, "some paragraphs are verified in the reference"
    assert verified <= VERIFIED_IN_REFERENCE, verified - VERIFIED_IN_REFERENCE
    for c in catalogue:
        if not c.provenance.para_verified:
            assert c.provenance.note, f"{c.id}: say why the paragraph is unverified"


def test_headline_metrics_from_seed_000_are_linked(catalogue: Catalogue) -> None:
    names = {m.name.lower() for m in catalogue.headline_metrics}
    for expected in (
        "comprehensive ics coverage",
        "access to diabetes prevention programme",
    ):
        assert any(expected in n for n in names), expected
    assert len(catalogue.headline_metrics) >= 14
    linked = [c for c in catalogue if c.headline_metric]
    assert len(linked) >= 20
    assert len({c.headline_metric for c in linked}) >= 15


def test_titles_unique(catalogue: Catalogue) -> None:
    titles = Counter(c.title for c in catalogue)
    assert [t for t, n in titles.items() if n > 1] == []
