"""The catalogue of LTP commitments as plain, immutable values (SPEC §2)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LEVELS",
    "LIFE_COURSE_NAMES",
    "Catalogue",
    "CatalogueInfo",
    "Commitment",
    "HeadlineMetric",
    "Level",
    "ProgrammeArea",
    "Provenance",
    "para_sort_key",
]

Level = Literal["place", "ics", "region", "national"]
LEVELS: tuple[Level, ...] = ("place", "ics", "region", "national")

#: Display names of the life-course stages, the rows of the snapshot grid (SPEC §7).
LIFE_COURSE_NAMES: Mapping[str, str] = {
    "starting_well": "Starting Well",
    "living_well": "Living Well",
    "ageing_well": "Ageing Well",
}

_PARA = re.compile(r"^(\d+)\.(\d+)([a-z]?)$")


def para_sort_key(para: str) -> tuple[int, int, str, str]:
    """Natural order of paragraph ids: 3.9 < 3.10 < 3.10a < 3.11; odd ids sort last."""
    m = _PARA.match(para)
    if not m:
        return (10**6, 0, "", para)
    return (int(m.group(1)), int(m.group(2)), m.group(3), "")


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgrammeArea:
    """A column of the snapshot grid, e.g. Healthy communities and prevention."""

    id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HeadlineMetric:
    """An LTP headline metric (seed 000 Appendix A)."""

    id: str
    name: str
    group: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Where a commitment comes from, and whether its paragraph number was checked."""

    para_verified: bool
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Commitment:
    """One LTP commitment, keyed by its paragraph id (a string: "3.10" is not "3.1")."""

    id: str
    chapter: int
    section: str
    programme_area: str
    life_course: str | None
    title: str
    commitment: str
    deadline: str
    due: date
    must_do: bool
    level: Level
    provenance: Provenance
    headline_metric: str | None = None
    target: str | None = None
    if_section: int | None = None
    replaces: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueInfo:
    """The catalogue's identity: id, semantic version, title and source."""

    id: str
    version: str
    title: str
    source: str


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    """A validated catalogue. Build it with :func:`ltpgap.catalogue.load_catalogue`."""

    info: CatalogueInfo
    programme_areas: tuple[ProgrammeArea, ...]
    life_course: tuple[str, ...]
    headline_metrics: tuple[HeadlineMetric, ...]
    commitments: tuple[Commitment, ...]
    content_hash: str
    path: str | None = field(default=None, compare=False)

    def __iter__(self) -> Iterator[Commitment]:
        return iter(self.commitments)

    def __len__(self) -> int:
        return len(self.commitments)

    def __contains__(self, commitment_id: object) -> bool:
        return commitment_id in self.by_id

    @cached_property
    def by_id(self) -> Mapping[str, Commitment]:
        """Commitments keyed by id."""
        return {c.id: c for c in self.commitments}

    @cached_property
    def programme_area_names(self) -> Mapping[str, str]:
        """Programme area id → display name."""
        return {p.id: p.name for p in self.programme_areas}

    @cached_property
    def para_rank(self) -> Mapping[str, int]:
        """Commitment id → its place in paragraph order (:func:`para_sort_key`)."""
        return {p: i for i, p in enumerate(sorted(self.by_id, key=para_sort_key))}

    @property
    def ids(self) -> tuple[str, ...]:
        """Commitment ids in catalogue order."""
        return tuple(c.id for c in self.commitments)

    def get(self, commitment_id: str) -> Commitment | None:
        """The commitment with this id, or ``None``."""
        return self.by_id.get(commitment_id)

    def to_frame(self) -> pd.DataFrame:
        """One row per commitment, in catalogue order, for pandas users."""
        import pandas as pd

        rows = [
            {
                "id": c.id,
                "chapter": c.chapter,
                "section": c.section,
                "programme_area": c.programme_area,
                "programme_area_name": self.programme_area_names[c.programme_area],
                "life_course": c.life_course,
                "title": c.title,
                "commitment": c.commitment,
                "deadline": c.deadline,
                "due": c.due,
                "must_do": c.must_do,
                "level": c.level,
                "headline_metric": c.headline_metric,
                "target": c.target,
                "if_section": c.if_section,
                "para_verified": c.provenance.para_verified,
            }
            for c in self.commitments
        ]
        return pd.DataFrame(rows)
