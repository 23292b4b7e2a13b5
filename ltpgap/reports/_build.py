"""Compute the report's sections from RAG columns: pure pandas over the ltpgap.rag core."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ltpgap.catalogue import LIFE_COURSE_NAMES, Catalogue, para_sort_key
from ltpgap.rag import summarise
from ltpgap.reports._text import pct, plain
from ltpgap.reports.model import (
    Cover,
    Movement,
    ReportData,
    RuleGroup,
    Scope,
    Snapshot,
    SnapshotItem,
    Unit,
)

__all__ = ["Basis", "build_report", "commitment_frame"]

_ATTRS = ("title", "chapter", "programme_area", "life_course", "must_do", "level", "deadline")
_YES = {"yes", "y", "true", "1"}


@dataclass(frozen=True, kw_only=True, eq=False)
class Basis:
    """What a report is computed from, whichever workbook it came from.

    ``rags``: para, then one RAG column per unit id (places in order, then the subject when
    it is the ICS). ``attributes``: para and any of title, chapter, programme_area,
    life_course, must_do, level, deadline (the workbook's own copy; the catalogue fills gaps).
    ``gaps``: unit (id), para, lead, initiatives, reason (every Red the workbook lists).
    """

    scope: Scope
    subject: Unit
    units: tuple[Unit, ...]
    rags: pd.DataFrame
    attributes: pd.DataFrame
    gaps: pd.DataFrame
    source: str
    source_kind: str
    rag_label: str
    as_at: date | None
    catalogue_label: str
    rules: tuple[RuleGroup, ...]
    checks: int = 0
    ics_id: str = ""


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _YES
    return bool(value) if value is not None and value == value else False


def _life_id(value: Any) -> str | None:
    text = plain(value)
    if text in LIFE_COURSE_NAMES:
        return text
    names = {v.lower(): k for k, v in LIFE_COURSE_NAMES.items()}
    return names.get(text.lower())


def _chapter(value: Any, para: str) -> int:
    text = plain(value)
    if text.isdigit():
        return int(text)
    head = para.split(".")[0]
    return int(head) if head.isdigit() else 0


def commitment_frame(catalogue: Catalogue, attributes: pd.DataFrame) -> pd.DataFrame:
    """para, title, chapter, programme_area (id), life_course (id), must_do, level, deadline.

    One row per para of ``attributes`` in its order; values from ``attributes`` where given
    (names or ids), else from the catalogue.
    """
    area_ids = {name.lower(): pid for pid, name in catalogue.programme_area_names.items()}
    rows = []
    for record in attributes.to_dict("records"):
        para = plain(record.get("para"))
        known = catalogue.get(para)

        def pick(key: str, rec: Mapping[Any, Any] = record, c: Any = known) -> Any:
            value = rec.get(key)
            if plain(value) == "" and c is not None:
                value = getattr(c, key)
            return value

        area = plain(pick("programme_area"))
        rows.append(
            {
                "para": para,
                "title": plain(pick("title")),
                "chapter": _chapter(pick("chapter"), para),
                "programme_area": area_ids.get(area.lower(), area),
                "life_course": _life_id(pick("life_course")),
                "must_do": _flag(pick("must_do")),
                "level": plain(pick("level")),
                "deadline": plain(pick("deadline")),
            }
        )
    return pd.DataFrame(rows, columns=["para", *_ATTRS])


def _counts(commitments: pd.DataFrame, units: Sequence[Unit], by: str | None) -> pd.DataFrame:
    """``ltpgap.rag.summarise`` for every unit at once, units in report order."""
    long = pd.concat(
        [
            commitments[["chapter", "must_do"]].assign(rag=commitments[u.id], unit=u.id)
            for u in units
        ],
        ignore_index=True,
    )
    table = summarise(long, "chapter" if by else None, within=["unit"])
    rank = {u.id: i for i, u in enumerate(units)}
    order = table["unit"].map(rank).to_numpy().argsort(kind="stable")
    return table.iloc[order].reset_index(drop=True)


def _differ(commitments: pd.DataFrame, places: Sequence[Unit], subject: Unit) -> pd.DataFrame:
    ids = [p.id for p in places]
    cols = ["para", "title", "must_do", *ids, subject.id]
    if len(ids) < 2:
        return pd.DataFrame(columns=cols)
    rags = commitments[ids]
    mask = (rags == "Green").any(axis=1) & (rags == "Red").any(axis=1)
    out = commitments.loc[mask, cols]
    return out.sort_values("must_do", ascending=False, kind="stable").reset_index(drop=True)


def _places_red(commitments: pd.DataFrame, places: Sequence[Unit]) -> pd.Series:
    names = []
    for _, row in commitments.iterrows():
        names.append(", ".join(p.name for p in places if row[p.id] == "Red"))
    return pd.Series(names, index=commitments.index, dtype=object)


def _must_dos_red(commitments: pd.DataFrame, basis: Basis) -> pd.DataFrame:
    places = [u for u in basis.units if u.kind == "place" and u.id != basis.subject.id]
    red = commitments[commitments["must_do"] & commitments[basis.subject.id].eq("Red")]
    out = red[["para", "title", "deadline"]].assign(
        rag=red[basis.subject.id], places_red=_places_red(red, places)
    )
    return out.reset_index(drop=True)


def _ranked_gaps(commitments: pd.DataFrame, basis: Basis) -> pd.DataFrame:
    columns = ["unit", "para", "title", "must_do", "lead", "initiatives", "reason", "places_red"]
    if basis.gaps.empty:
        return pd.DataFrame(columns=columns)
    place_ids = [u.id for u in basis.units if u.kind == "place"]
    info = commitments.set_index("para")
    spread = (commitments.set_index("para")[place_ids] == "Red").sum(axis=1)
    order = {u.id: i for i, u in enumerate(basis.units)}
    rows: list[dict[str, Any]] = []
    for rec in basis.gaps.to_dict("records"):
        para = plain(rec.get("para"))
        found = para in info.index
        rows.append(
            {
                "unit": plain(rec.get("unit")),
                "para": para,
                "title": plain(rec.get("title")) or (info.at[para, "title"] if found else ""),
                "must_do": bool(info.at[para, "must_do"]) if found else _flag(rec.get("must_do")),
                "lead": plain(rec.get("lead")),
                "initiatives": plain(rec.get("initiatives")),
                "reason": plain(rec.get("reason")),
                "places_red": int(spread.get(para, 0)),
            }
        )
    rows.sort(
        key=lambda r: (
            not r["must_do"],
            -r["places_red"],
            para_sort_key(r["para"]),
            order.get(r["unit"], len(order)),
        )
    )
    return pd.DataFrame(rows, columns=columns)


def _snapshot(
    commitments: pd.DataFrame, catalogue: Catalogue, subject: Unit, label: str
) -> Snapshot:
    areas = [a.id for a in catalogue.programme_areas]
    stages = [s for s in catalogue.life_course if s in LIFE_COURSE_NAMES] or list(LIFE_COURSE_NAMES)
    cells: dict[tuple[str, str], list[SnapshotItem]] = {}
    shown = 0
    for rec in commitments.to_dict("records"):
        key = (rec["life_course"], rec["programme_area"])
        if rec["life_course"] in stages and rec["programme_area"] in areas:
            item = SnapshotItem(para=rec["para"], title=rec["title"], rag=rec[subject.id])
            cells.setdefault(key, []).append(item)
            shown += 1
    return Snapshot(
        columns=tuple(catalogue.programme_area_names[a] for a in areas),
        rows=tuple(LIFE_COURSE_NAMES[s] for s in stages),
        cells=tuple(tuple(tuple(cells.get((s, a), ())) for a in areas) for s in stages),
        not_shown=len(commitments) - shown,
        rag_label=label,
    )


def _highlights(data: dict[str, Any], basis: Basis) -> tuple[str, ...]:
    overview = data["overview"].set_index("unit")
    subject = basis.subject
    row = overview.loc[subject.id]
    applicable = int(row["total"] - row["N/A"])
    lines = [
        f"{subject.name}: {int(row['Green'])} of {applicable} applicable commitments are Green "
        f"({pct(row['pct_green'])}), {int(row['Amber'])} Amber and {int(row['Red'])} Red; "
        f"{int(row['Not assessed'])} not assessed ({pct(row['pct_assessed'])} assessed)."
    ]
    red = data["must_dos_red"]
    lines.append(
        f"{len(red)} national must-do{'s are' if len(red) != 1 else ' is'} at Red: "
        + ", ".join(f"para {p}" for p in red["para"])
        + "."
        if len(red)
        else "No national must-do is at Red."
    )
    places = [u for u in basis.units if u.kind == "place" and u.id != subject.id]
    if len(places) > 1:
        share = overview.loc[[p.id for p in places], "pct_green"].astype(float)
        if share.notna().any():
            best, worst = share.idxmax(), share.idxmin()
            name = {p.id: p.name for p in places}
            lines.append(
                f"Highest share Green: {name[best]} ({pct(share[best])}); lowest: "
                f"{name[worst]} ({pct(share[worst])})."
            )
        lines.append(
            f"{len(data['differ'])} commitments are Green in one place and Red in another."
        )
    gaps = data["gaps"]
    no_lead = int((gaps["lead"] == "").sum()) if len(gaps) else 0
    lines.append(
        f"{len(gaps)} gap{'s' if len(gaps) != 1 else ''} (commitments at Red) listed; "
        f"{no_lead} without a named lead."
    )
    if basis.checks:
        lines.append(
            f"{basis.checks} problems were noted when the workbook{'s were' if places else ' was'}"
            f" read; see the Checks sheet of {basis.source}."
        )
    return tuple(lines)


def build_report(
    catalogue: Catalogue, basis: Basis, *, cover: Cover, movement: Movement | None = None
) -> ReportData:
    """Compute every section of the report from a :class:`Basis`."""
    attrs = commitment_frame(catalogue, basis.attributes)
    rags = basis.rags.assign(para=basis.rags["para"].map(plain)).drop_duplicates("para")
    commitments = attrs.merge(rags, on="para", how="left", validate="one_to_one")
    for unit in basis.units:
        commitments[unit.id] = commitments[unit.id].fillna("Not assessed").map(plain)
    places = [u for u in basis.units if u.kind == "place" and u.id != basis.subject.id]
    parts: dict[str, Any] = {
        "commitments": commitments,
        "by_chapter": _counts(commitments, basis.units, "chapter"),
        "overview": _counts(commitments, basis.units, None),
        "differ": _differ(commitments, places, basis.subject),
        "must_dos_red": _must_dos_red(commitments, basis),
        "gaps": _ranked_gaps(commitments, basis),
    }
    return ReportData(
        scope=basis.scope,
        subject=basis.subject,
        units=basis.units,
        cover=cover,
        source=basis.source,
        source_kind=basis.source_kind,
        as_at=basis.as_at,
        catalogue=basis.catalogue_label,
        rules=basis.rules,
        area_names=dict(catalogue.programme_area_names),
        highlights=_highlights(parts, basis),
        snapshot=_snapshot(commitments, catalogue, basis.subject, basis.rag_label),
        movement=movement,
        checks=basis.checks,
        ics_id=basis.ics_id,
        **parts,
    )
