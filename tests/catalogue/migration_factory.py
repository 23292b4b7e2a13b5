"""Build small in-memory catalogues for the migration tests (no YAML needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ltpgap.catalogue import Catalogue, CatalogueInfo, Commitment, ProgrammeArea, Provenance
from ltpgap.catalogue.model import Level

AREAS = (
    ProgrammeArea(id="prevention", name="Healthy communities and prevention"),
    ProgrammeArea(id="enablers", name="System enablers"),
)


def commitment(
    ident: str,
    *,
    title: str | None = None,
    replaces: tuple[str, ...] = (),
    level: Level = "place",
    deadline: str = "2023/24",
) -> Commitment:
    """A valid commitment; fields other than the id do not depend on it unless given."""
    return Commitment(
        id=ident,
        chapter=int(ident.split(".")[0]),
        section="Test",
        programme_area="prevention",
        life_course="living_well",
        title=title or "A commitment",
        commitment="What the LTP commits to.",
        deadline=deadline,
        due=date(2024, 3, 31),
        must_do=False,
        level=level,
        provenance=Provenance(para_verified=True, source="test"),
        replaces=replaces,
    )


def catalogue(*commitments: Commitment, version: str = "1.0.0") -> Catalogue:
    """A catalogue holding these commitments in this order."""
    return Catalogue(
        info=CatalogueInfo(id="test", version=version, title="Test", source="test"),
        programme_areas=AREAS,
        life_course=("starting_well", "living_well", "ageing_well"),
        headline_metrics=(),
        commitments=tuple(commitments),
        content_hash=f"sha256:{version}:{'|'.join(c.id for c in commitments)}",
    )


def reworded(c: Commitment, **changes: object) -> Commitment:
    """The same commitment with some fields changed."""
    return replace(c, **changes)  # type: ignore[arg-type]
