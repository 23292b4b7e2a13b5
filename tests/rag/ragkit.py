"""Builders for small catalogues, so RAG tests never depend on the shipped file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ltpgap.catalogue import Catalogue, Commitment, Provenance

#: (id, programme_area, deadline, must_do, level) of the small test catalogue.
SMALL: tuple[tuple[str, str, str, bool, str], ...] = (
    ("1.1", "prevention", "2023/24", False, "place"),
    ("1.2", "prevention", "2021/22", True, "place"),
    ("2.1", "maternity_cyp", "2023/24", False, "ics"),
    ("2.2", "maternity_cyp", "2023/24", False, "region"),
    ("3.1", "enablers", "2024-12", True, "national"),
    ("3.2", "enablers", "2024", False, "place"),
    ("3.10", "prevention", "2022/23", True, "place"),
)

_AREAS = (
    ("prevention", "Healthy communities and prevention"),
    ("maternity_cyp", "Maternity, children and young people"),
    ("enablers", "System enablers"),
)


def catalogue_yaml(rows: Sequence[tuple[str, str, str, bool, str]]) -> str:
    """A valid commitments.yaml text for the given rows."""
    lines = [
        "catalogue: {id: test, version: 1.0.0, title: Test catalogue, source: tests}",
        "programme_areas:",
        *(f"  - {{id: {i}, name: {n}}}" for i, n in _AREAS),
        "life_course: [starting_well, living_well, ageing_well]",
        "headline_metrics:",
        "  - {id: HM01, name: Comprehensive ICS coverage}",
        "commitments:",
    ]
    for para, area, deadline, must_do, level in rows:
        lines += [
            f'  - id: "{para}"',
            f"    chapter: {para.split('.')[0]}",
            "    section: Test",
            f"    programme_area: {area}",
            "    life_course: living_well",
            f"    title: Commitment {para}",
            f"    commitment: The text of commitment {para}.",
            f"    deadline: {deadline}",
            f"    must_do: {'true' if must_do else 'false'}",
            f"    level: {level}",
            '    provenance: {para_verified: false, source: "tests"}',
        ]
    return "\n".join(lines) + "\n"


def make_commitment(
    para: str = "1.1",
    *,
    due: date = date(2024, 3, 31),
    deadline: str = "2023/24",
    must_do: bool = False,
    level: str = "place",
    programme_area: str = "prevention",
) -> Commitment:
    """One commitment built directly, for rule tables."""
    return Commitment(
        id=para,
        chapter=int(para.split(".")[0]),
        section="Test",
        programme_area=programme_area,
        life_course="living_well",
        title=f"Commitment {para}",
        commitment=f"The text of commitment {para}.",
        deadline=deadline,
        due=due,
        must_do=must_do,
        level=level,  # type: ignore[arg-type]
        provenance=Provenance(para_verified=False, source="tests"),
    )


def make_catalogue(commitments: Sequence[Commitment]) -> Catalogue:
    """A catalogue built directly from commitments (for property tests and benchmarks)."""
    from ltpgap.catalogue import CatalogueInfo, ProgrammeArea

    return Catalogue(
        info=CatalogueInfo(id="test", version="1.0.0", title="Test", source="tests"),
        programme_areas=tuple(ProgrammeArea(id=i, name=n) for i, n in _AREAS),
        life_course=("starting_well", "living_well", "ageing_well"),
        headline_metrics=(),
        commitments=tuple(commitments),
        content_hash="sha256:test",
    )
