"""What an ICS workbook shows, from its units' submissions: pure (no file is read or written).

`ltpgap merge` (:mod:`ltpgap.merge.merge`) and the Excel add-in's ICS Recompute
(:mod:`ltpgap.xl.ics`) both end here: the ICS file's places in order, the roll-up of the
assessed units (SPEC §6), and every issue, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.merge.model import IcsContent, PlaceRef, PlaceSubmission
from ltpgap.rag import rollup_ics

__all__ = ["ics_content"]


def _units(
    ics: IcsConfig, subs: Mapping[str, PlaceSubmission], skipped: set[str]
) -> tuple[tuple[PlaceRef, ...], PlaceRef | None, list[Issue]]:
    """Every unit of the ICS file in its order (a stand-in for those without a submission),
    the ICS team when it has one, and a ``place-missing`` note per unit with nothing at all."""
    refs, notes = [], []
    for unit_id, name, pop, line in [
        *((p.id, p.name, p.population, p.line) for p in ics.places),
        (ics.id, ics.name, ics.population, ics.line),
    ]:
        if unit_id in subs:
            refs.append(subs[unit_id].ref)
            continue
        status = "skipped" if unit_id in skipped else "missing"
        refs.append(PlaceRef(id=unit_id, name=name, population=pop, status=status))
        if status == "missing":
            what = "ICS-level commitments" if unit_id == ics.id else "its commitments"
            notes.append(
                make_issue(
                    "place-missing",
                    f"no workbook was given for {name} ('{unit_id}') and the ICS workbook holds "
                    f"none from before, so {what} count as Not assessed.",
                    where=Where(file=ics.path, line=line) if ics.path else Where(),
                )
            )
    team = refs.pop()
    return tuple(refs), (team if team.status in ("submitted", "kept") else None), notes


def _rollup_inputs(
    subs: Sequence[PlaceSubmission],
) -> tuple[dict[str, list[object]], dict[str, list[object]] | None]:
    """The places' RAGs as long columns (place, para, rag) and the ICS team's (para, rag)."""
    units: list[object] = []
    paras: list[object] = []
    rags: list[object] = []
    team = None
    for s in subs:
        if s.assessment is None:
            continue
        assessed = s.assessment
        if s.scope == "ics":
            team = {"para": assessed.column("para"), "rag": assessed.column("rag")}
            continue
        units += [s.unit_id] * len(assessed)
        paras += assessed.column("para")
        rags += assessed.column("rag")
    return {"place": units, "para": paras, "rag": rags}, team


def ics_content(
    ics: IcsConfig,
    catalogue: Catalogue,
    subs: Mapping[str, PlaceSubmission],
    *,
    generated_at: str,
    skipped: set[str] | None = None,
    unplaced: int = 0,
    first: Sequence[Issue] = (),
    after_missing: Sequence[Issue] = (),
    per_unit: Mapping[str, Sequence[Issue]] | None = None,
) -> IcsContent:
    """The ICS workbook's content from every unit's submission (keyed by unit id).

    ``skipped``: units whose new workbook was refused; ``unplaced``: refused files whose unit
    could not be told. Issues come in this order: ``first``, one ``place-missing`` per unit
    with no submission, ``after_missing``, then each unit's own issues followed by
    ``per_unit[unit]``.
    """
    places, team, missing = _units(ics, subs, skipped or set())
    ordered = [subs[u.id] for u in (*places, *([team] if team else [])) if u.id in subs]
    place_rags, team_rags = _rollup_inputs(ordered)
    issues = [*first, *missing, *after_missing]
    for s in ordered:
        issues += [*s.issues, *(per_unit or {}).get(s.unit_id, ())]
    return IcsContent(
        scope="ics-merge",
        unit_id=ics.id,
        unit_name=ics.name,
        catalogue=catalogue,
        rules=ics.rules,
        as_at=ics.as_at.isoformat() if ics.as_at else None,
        generated_at=generated_at,
        units=places,
        team=team,
        rollup=rollup_ics(catalogue, place_rags, ics=ics, ics_rags=team_rags),
        assessments={s.unit_id: s.assessment for s in ordered if s.assessment is not None},
        submissions=tuple(ordered),
        issues=tuple(issues),
        refused=frozenset(skipped or ()),
        unplaced=unplaced,
    )
