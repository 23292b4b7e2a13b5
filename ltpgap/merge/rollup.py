"""`ltpgap rollup`: ICS workbooks → a region (or national) workbook, SPEC §6 upward.

Each ICS workbook is read back (gate first); its ICS RAG per commitment is one unit of the
roll-up, weighted by the ICS population (the sum of its places' populations, from its
metadata), by :func:`ltpgap.rag.rollup_region`. The result has the ICS workbook's sheets with
ICSs (or regions) as the units; place inputs stay in the ICS workbooks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from ltpgap._gc import collector_paused
from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import Rules
from ltpgap.issues import Issue, LtpgapError, Where, make_issue, only
from ltpgap.merge._carry import (
    keep_additions,
    previous_rollup,
    report_left_out,
    same_file,
    without_lock_files,
)
from ltpgap.merge._collect import NONE_GIVEN, file_sha256
from ltpgap.merge._sheets import META
from ltpgap.merge._typed_over import typed_over
from ltpgap.merge.ics_data import matrix_problems
from ltpgap.merge.ics_reader import IcsWorkbook, read_ics_workbook
from ltpgap.merge.ics_writer import write_ics_workbook
from ltpgap.merge.model import IcsContent, PlaceRef
from ltpgap.rag import IcsRollup, rollup_region
from ltpgap.schema import rags_as_read

__all__ = ["Level", "RollupResult", "rollup_workbooks"]

Level = Literal["region", "national"]
_ACCEPTS: dict[str, tuple[str, ...]] = {
    "region": ("ics-merge",),
    "national": ("ics-merge", "region"),
}


@dataclass(frozen=True, kw_only=True, eq=False)
class RollupResult:
    """A roll-up: its level, the units (ICSs or regions), the result and every problem."""

    level: Level
    out: Path
    units: tuple[PlaceRef, ...]
    rollup: IcsRollup
    issues: tuple[Issue, ...]
    written: bool = False


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_") or "rollup"


def _read(
    paths: Sequence[Path], out: Path, progress: Callable[[Path, bool], None] | None
) -> tuple[list[tuple[Path, IcsWorkbook]], list[Issue], list[Issue]]:
    """The ICS workbooks read, the problems that stop the roll-up, and the files left out
    with a warning (Excel's lock files, a report's summary workbook)."""
    books: list[tuple[Path, IcsWorkbook]] = []
    problems: list[Issue] = []
    paths, left_out = without_lock_files(list(paths), out, "rollup", progress)
    for path in paths:
        try:
            books.append((path, read_ics_workbook(path)))
            ok = True
        except LtpgapError as exc:
            if only(exc.issues, "report-workbook"):  # out/*.xlsx found one
                left_out.append(report_left_out(path, "rollup"))
            else:
                problems += exc.issues
            ok = False
        except OSError as exc:
            problems.append(
                make_issue(
                    "file-not-found"
                    if isinstance(exc, FileNotFoundError)
                    else "unreadable-workbook",
                    f"the workbook cannot be opened ({exc.strerror or exc}).",
                    where=Where(file=str(path)),
                )
            )
            ok = False
        if progress is not None:
            progress(path, ok)
    return books, problems, left_out


def _check(
    books: list[tuple[Path, IcsWorkbook]], level: Level, catalogue: Catalogue
) -> list[Issue]:
    problems: list[Issue] = []
    seen: dict[str, Path] = {}
    named: dict[str, tuple[str, Path]] = {}  # name, case folded → (unit id, file)
    scopes = {wb.scope for _, wb in books}
    for path, wb in books:
        problems += matrix_problems(wb, catalogue)  # its results are what a roll-up reads
        where = Where(file=str(path), sheet=META)
        if wb.scope not in _ACCEPTS[level] or len(scopes) > 1:
            problems.append(
                make_issue(
                    "wrong-level",
                    f"a {level} roll-up takes {' or '.join(_ACCEPTS[level])} workbooks, all of "
                    f"one kind; this one is '{wb.scope}' (given: {', '.join(sorted(scopes))}).",
                    where=where,
                )
            )
        if wb.catalogue_hash != catalogue.content_hash:
            made = f"{wb.catalogue_id} {wb.catalogue_version}".strip()
            used = f"{catalogue.info.id} {catalogue.info.version}"
            if made == used:  # one version number, other content: name the difference
                was, now = (
                    h.removeprefix("sha256:")[:12]
                    for h in (wb.catalogue_hash, catalogue.content_hash)
                )
                made += f" (content {was or 'not recorded'})"
                used += (
                    f" with other content ({now}): the catalogue was edited without a new "
                    "version number"
                )
            problems.append(
                make_issue(
                    "catalogue-mismatch",
                    f"merged against catalogue {made}, but this roll-up uses {used}. Pass "
                    "--catalogue with the catalogue every ICS used, or merge that ICS again "
                    "with this one.",
                    where=where,
                )
            )
        if wb.unit_id in seen:
            problems.append(_twice(wb, path, seen[wb.unit_id], where))
        seen.setdefault(wb.unit_id, path)
        name = (wb.unit_name or wb.unit_id).strip()
        first = named.setdefault(name.casefold(), (wb.unit_id, path))
        if first[0] != wb.unit_id:
            problems.append(
                make_issue(
                    "duplicate-name",
                    f"'{wb.unit_id}' and '{first[0]}' ({first[1]}) are both named '{name}'; "
                    "each heads a column of the roll-up, where two columns cannot share one. "
                    "Give each its own name (the ICS file's name, or --name for a region) and "
                    "make that workbook again.",
                    where=where,
                )
            )
    return problems


def _twice(wb: IcsWorkbook, path: Path, first: Path, where: Where) -> Issue:
    """Two workbooks of one unit id: the same ICS twice or, for regions, two regions made
    without their own --name (each is then 'Region', id 'region')."""
    if wb.scope == "ics-merge" or file_sha256(path) == file_sha256(first):
        return make_issue(
            "duplicate-place",
            f"'{wb.unit_id}' is given twice (this file and {first}); give each ICS once.",
            where=where,
        )
    kind = "region" if wb.scope == "region" else "national roll-up"
    return make_issue(
        "duplicate-name",
        f"this {kind} workbook and {first} both have the id '{wb.unit_id}' (named "
        f"'{wb.unit_name or wb.unit_id}'): the same {kind} twice, or two made without their own "
        f"--name. Give each {kind} once; make each with its own --name (`ltpgap rollup … "
        '--out NORTH.xlsx --name "North"`).',
        where=where,
    )


def _unit(path: Path, wb: IcsWorkbook, stamp: str) -> PlaceRef:
    return PlaceRef(
        id=wb.unit_id,
        name=wb.unit_name or wb.unit_id,
        population=sum(p.population for p in wb.places),
        file=path.name,
        file_sha256=file_sha256(path),
        catalogue_version=wb.catalogue_version,
        catalogue_hash=wb.catalogue_hash,
        generated_at=wb.generated_at,
        merged_at=stamp,
        status="submitted",
    )


def _frame(wb: IcsWorkbook) -> pd.DataFrame:
    m = wb.matrix
    return pd.DataFrame(
        {
            "para": m["para"].astype(str),
            "chapter": m["chapter"],
            "programme_area": m["programme_area"],
            "must_do": m["must_do"].astype(bool),
            "rag": rags_as_read(m["ics_rag"].tolist()),  # what is not a RAG: named, see typed_over
            "reason": m["explanation"],
        }
    )


def _carried(books: list[tuple[Path, IcsWorkbook]]) -> pd.DataFrame:
    frames = []
    for path, wb in books:
        checks = wb.checks.copy()
        checks["workbook"] = [f"{path.name} › {w}" if w else path.name for w in checks["workbook"]]
        frames.append(checks)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@collector_paused()
def rollup_workbooks(
    paths: Sequence[str | Path],
    *,
    out: str | Path,
    level: Level = "region",
    name: str | None = None,
    unit_id: str | None = None,
    catalogue: Catalogue | None = None,
    progress: Callable[[Path, bool], None] | None = None,
    write: bool = True,
    now: datetime | None = None,
) -> RollupResult:
    """Roll ICS workbooks up to a region (or ICS/region workbooks to national) in ``out``."""
    catalogue = catalogue or load_catalogue()
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    name = name or ("England" if level == "national" else "Region")
    previous = previous_rollup(Path(out))  # before any reading: never overwrite a non-roll-up
    keep, additions = keep_additions(previous, Path(out), now, "rollup")
    if previous is not None:
        additions += typed_over(previous, catalogue, replaced_by="roll-up")
    files = [Path(p) for p in paths if not same_file(Path(p), Path(out))]
    books, problems, left_out = _read(files, Path(out), progress)
    problems += _check(books, level, catalogue)
    if problems or not books:
        none = make_issue(
            "no-workbooks", NONE_GIVEN.format(what="ICS workbook"), where=Where(file=str(out))
        )
        raise LtpgapError(
            problems or [none],
            summary=f"cannot roll up; nothing was written to {out}",
        )
    units = tuple(_unit(path, wb, stamp) for path, wb in books)
    rules = Rules()
    rollup = rollup_region(
        catalogue,
        {wb.unit_id: _frame(wb) for _, wb in books},
        {u.id: u.population for u in units},
        rules,
        unit_label="ics" if books[0][1].scope == "ics-merge" else "region",
        region_id=unit_id or _slug(name),
    )
    typed = (i for _, wb in books for i in typed_over(wb, catalogue))  # read as they are
    issues = (*additions, *left_out, *typed, *(i for _, wb in books for i in wb.issues))
    content = IcsContent(
        scope=level,
        unit_id=unit_id or _slug(name),
        unit_name=name,
        catalogue=catalogue,
        rules=rules,
        as_at=max((wb.as_at or "" for _, wb in books), default="") or None,
        generated_at=stamp,
        units=units,
        rollup=rollup,
        assessments={wb.unit_id: _frame(wb) for _, wb in books},
        issues=issues,
        notes=(
            "The roll-up uses the default rules (SPEC §6) across units, weighted by population; "
            "each ICS workbook applied its own ICS rules to its places.",
            "Place inputs are not copied here: they stay on each ICS workbook's Place data "
            "sheet (files and sha256 in the metadata). Checks repeats each ICS workbook's "
            "checks, prefixed with its file.",
        ),
        carried_checks=_carried(books),
        keep_previous=keep,
    )
    out = Path(out)
    if write:
        write_ics_workbook(content, out)
    return RollupResult(
        level=level, out=out, units=units, rollup=rollup, issues=issues, written=write
    )
