"""Decide whether a workbook that was read can be merged: whose it is, which catalogue.

Identity comes from the hidden metadata sheet, never from the file name alone; the place must
be one of the ICS's places (or the ICS team itself) and the workbook built for this ICS. A
workbook built from another version of the catalogue is migrated for the merge (the file is
not changed) when the catalogue it was built from is known; otherwise the merge says how to
fix it. Returns a submission, or the problems that make the file unusable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import pandas as pd

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.catalogue.migration import FlagWords, MigrationPlan, apply_plan, plan_migration
from ltpgap.ics import IcsConfig
from ltpgap.issues import Issue, Severity, Where, make_issue
from ltpgap.layout import META_SHEET
from ltpgap.merge._collect import FileRead
from ltpgap.merge.model import PlaceRef, PlaceSubmission
from ltpgap.rag import Locator, PlaceAssessment, assess_place
from ltpgap.workbook import PlaceWorkbook, cell_locator, read_workbook

__all__ = ["Verdict", "accept", "catalogue_lookup", "migrate_inputs"]

CatalogueLookup = Callable[[str], Catalogue | None]


class Verdict:
    """The outcome for one file: a submission, or the problems that stop it being merged."""

    def __init__(
        self,
        path: Path,
        sub: PlaceSubmission | None,
        problems: Sequence[Issue] = (),
        unit: str | None = None,
    ) -> None:
        self.path, self.submission, self.problems = path, sub, tuple(problems)
        self.unit = sub.unit_id if sub is not None else unit  # the place, when known

    @property
    def usable(self) -> bool:
        """True when the file can be merged."""
        return self.submission is not None


def catalogue_lookup(current: Catalogue, known: Sequence[Catalogue]) -> CatalogueLookup:
    """Find a catalogue by content hash: the merge's, those given with --from, the shipped one."""
    pool = {c.content_hash: c for c in (current, *known)}
    shipped: list[Catalogue] = []

    def find(content_hash: str) -> Catalogue | None:
        if content_hash in pool:
            return pool[content_hash]
        if not shipped:
            shipped.append(load_catalogue())
        return shipped[0] if shipped[0].content_hash == content_hash else None

    return find


def _name(cat: Catalogue) -> str:
    return f"{cat.info.id} {cat.info.version}"


def _who(file: str, book: PlaceWorkbook, ics: IcsConfig) -> tuple[str, list[Issue]]:
    """The unit's display name, and problems with its identity."""
    meta = book.meta
    where = Where(file=file, sheet=META_SHEET)
    if meta is None:
        return book.unit_id, [
            make_issue(
                "no-metadata",
                "the merge takes a workbook's place from its hidden '_ltpgap' sheet, which this "
                f"file lacks, and will not guess it from the file name ('{book.unit_id}'). Copy "
                "the inputs into a fresh workbook from `ltpgap init` and send that.",
                where=Where(file=file),
                severity=Severity.ERROR,
            )
        ]
    if meta.ics_id and meta.ics_id != ics.id:
        return book.unit_id, [
            make_issue(
                "place-not-in-ics",
                f"the workbook was made for ICS '{meta.ics_id}', but this merge is for "
                f"{ics.name} ('{ics.id}'). Pass --ics with that ICS's file, or leave it out.",
                where=where,
            )
        ]
    if book.scope == "ics":
        if book.unit_id == ics.id:
            return ics.name, []
        message = (
            f"the workbook is an ICS team's workbook for '{book.unit_id}', not for "
            f"{ics.name} ('{ics.id}')."
        )
    else:
        place = ics.place(book.unit_id)
        if place is not None:
            return place.name, []
        message = (
            f"the workbook belongs to '{book.unit_id}', which is not a place of {ics.name} "
            f"(its places: {', '.join(ics.place_ids)}). Check the file is from this ICS, or "
            "add the place to the ICS file (--ics)."
        )
    return book.unit_id, [make_issue("place-not-in-ics", message, where=where)]


#: Rows the reader names, which a migration notes again as it leaves them out.
_READER_NAMES = frozenset({"duplicate-para", "unknown-para"})

_PUSH_IT = (
    "The workbook itself is unchanged: run `ltpgap push` on it with the new catalogue to make "
    "the change there"
)

#: A merge changes no file and writes no Retired sheet: what its migration flags say instead.
MERGE_WORDS = FlagWords(
    split="{source} was split into {siblings}; this merge assesses {id} ('{title}') on the "
    "inputs of {source}. " + _PUSH_IT + ", then edit or clear in the row of {id} what does "
    "not apply to this part.",
    merged="{id} ('{title}') merges {sources}; this merge assesses it on their inputs "
    "combined (text joined with [para] labels, Status/Coverage/RAG override the worse, "
    "Expected delivery the latest).{detail} " + _PUSH_IT + ", then review and tidy the "
    "combined row.",
    retired="{para} ('{title}') {reason}, so its inputs count nowhere in this merge; they are "
    "kept as typed on the ICS workbook's Place data sheet. " + _PUSH_IT + " (the row moves to "
    "its Retired sheet).",
    leftover="{reason}: it counts nowhere in this merge; its inputs are kept as typed on the "
    "ICS workbook's Place data sheet.",
)


def _flag_where(flag: Issue, plan: MigrationPlan, file: str, locate: Locator | None) -> Where:
    """The row of the unit's workbook a migration flag comes from (its Para cell), if known."""
    if locate is None:
        return Where(file=file)
    para = flag.commitment or ""
    if flag.code in ("migration-split", "migration-merged"):
        sources = plan.predecessors.get(para, ())
    elif flag.code in ("migration-retired", "unknown-para"):
        sources = (para,)
    else:  # a Para's second row, or a row without one: its first row is not the one meant
        sources = ()
    for source in sources:
        where = locate(source, "para")
        if where.cell:
            return where
    return replace(locate("", "para"), cell=None)


def migrate_inputs(
    inputs: pd.DataFrame,
    old: Catalogue,
    new: Catalogue,
    *,
    scope: Literal["place", "ics"],
    unit_id: str,
    file: str,
    locate: Locator | None,
) -> tuple[PlaceAssessment, list[Issue], pd.DataFrame]:
    """Assess inputs recorded against catalogue ``old`` under ``new`` (SPEC §8 plan).

    Returns the assessment, the migration's notes and the carried inputs (new Paras).
    """
    plan = plan_migration(old, new)
    moved = apply_plan(plan, inputs, scope=scope, words=MERGE_WORDS)
    counts = ", ".join(f"{n} {k}" for k, n in plan.counts.items() if n and k != "unchanged")
    issues = [
        make_issue(
            "catalogue-migrated",
            f"built from catalogue {_name(old)}; its inputs were carried over to {_name(new)} "
            f"for this merge ({counts or 'no changes to commitments'}), matched by Para. The "
            "workbook itself is unchanged: run `ltpgap push` on it so the place sees the new "
            "commitments.",
            where=Where(file=file, sheet=META_SHEET),
        )
    ]
    issues += [replace(flag, where=Where(file=file)) for flag in plan.issues]
    issues += [replace(flag, where=_flag_where(flag, plan, file, locate)) for flag in moved.flags]
    assessment = assess_place(new, moved.rows, unit_id=unit_id, scope=scope, locate=locate)
    return assessment, issues, moved.rows


def _mismatch(file: str, book: PlaceWorkbook, target: Catalogue, why: str) -> Issue:
    meta = book.meta
    assert meta is not None
    return make_issue(
        "catalogue-mismatch",
        f"the workbook was built from catalogue {meta.catalogue_id} {meta.catalogue_version} "
        f"({meta.catalogue_hash[:15]}…) but this merge uses {_name(target)}; {why}",
        where=Where(file=file, sheet=META_SHEET),
    )


@dataclass(frozen=True, kw_only=True, eq=False)
class _Assessed:
    """A workbook's assessment (None when impossible), the issues, and what was migrated."""

    assessment: PlaceAssessment | None
    issues: list[Issue]
    book: PlaceWorkbook
    migrated_from: str = ""
    migrated_inputs: pd.DataFrame | None = None


def _own(book: PlaceWorkbook) -> list[Issue]:
    """Reader issues that hold whatever the catalogue (Para checks against another don't)."""
    return [i for i in book.issues if i.code not in ("unknown-para", "missing-para")]


def _assess(
    read: FileRead, book: PlaceWorkbook, target: Catalogue, lookup: CatalogueLookup
) -> _Assessed:
    if read.assessment is not None:
        return _Assessed(assessment=read.assessment, issues=list(book.issues), book=book)
    meta = book.meta
    assert meta is not None
    file = str(read.path)
    old = lookup(meta.catalogue_hash)
    # The metadata names the catalogue: when the id differs, no --from can help, so say so
    # at once rather than ask for a catalogue file that only leads to this message.
    built_id = meta.catalogue_id or (old.info.id if old is not None else "")
    if built_id and built_id != target.info.id:
        why = (
            f"'{built_id}' and '{target.info.id}' are different catalogues, not versions of "
            "one, so rows cannot be matched. Merge with --catalogue set to the catalogue "
            "every place used, or have the place copy its inputs into a fresh workbook that "
            f"`ltpgap init` builds from {target.info.id}."
        )
        return _Assessed(
            assessment=None, issues=[*_own(book), _mismatch(file, book, target, why)], book=book
        )
    if old is None:
        why = (
            "that catalogue is not known here. Pass --from OLD.yaml with the catalogue file it "
            f"was built from (version {meta.catalogue_version}) so the merge can carry its "
            "inputs over, or run `ltpgap push` on the workbook first."
        )
        return _Assessed(
            assessment=None, issues=[*_own(book), _mismatch(file, book, target, why)], book=book
        )
    old_book = read_workbook(read.path, catalogue=old)  # Para checks against its own catalogue
    assessment, issues, rows = migrate_inputs(
        old_book.inputs,
        old,
        target,
        scope=book.scope,
        unit_id=book.unit_id,
        file=file,
        locate=cell_locator(old_book),
    )
    # A Para typed twice, or not of its catalogue: the reader named the row at its cell
    # already; the migration's note of the same row would list it twice on Checks.
    named = {(i.code, i.commitment) for i in old_book.issues}
    issues = [
        i for i in issues if i.code not in _READER_NAMES or (i.code, i.commitment) not in named
    ]
    return _Assessed(
        assessment=assessment,
        issues=[*old_book.issues, *issues],
        book=old_book,
        migrated_from=_name(old),
        migrated_inputs=rows,
    )


def accept(
    read: FileRead, ics: IcsConfig, target: Catalogue, lookup: CatalogueLookup, merged_at: str
) -> Verdict:
    """Turn a file read into a submission, or into the problems that make it unusable."""
    if read.book is None:
        return Verdict(read.path, None, read.failure)
    book, file = read.book, str(read.path)
    name, problems = _who(file, book, ics)
    if problems:
        # The reader's no-metadata note says the place was taken from the file name; the
        # merge takes none from it, and its own error says so in place of the note.
        noted = [i for i in book.issues if book.meta is not None or i.code != "no-metadata"]
        return Verdict(read.path, None, [*noted, *problems], unit=None)
    done = _assess(read, book, target, lookup)
    assessment, book = done.assessment, done.book
    if assessment is None:
        return Verdict(read.path, None, done.issues, unit=book.unit_id)
    meta = book.meta
    assert meta is not None
    place = ics.place(book.unit_id)
    ref = PlaceRef(
        id=book.unit_id,
        name=name,
        population=place.population if place else ics.population,
        file=read.path.name,
        file_sha256=read.sha256,
        catalogue_version=meta.catalogue_version,
        catalogue_hash=meta.catalogue_hash,
        generated_at=meta.generated_at,
        submitted_at=read.modified,
        merged_at=merged_at,
        status="submitted",
        sheet=book.sheet,
        columns=dict(book.columns),
    )
    return Verdict(
        read.path,
        PlaceSubmission(
            ref=ref,
            scope=book.scope,
            input_columns=book.input_columns,
            extra_headers=book.extra_headers,
            extra_letters=book.extra_letters,
            assessment=assessment,
            issues=(*done.issues, *assessment.issues),
            migrated_from=done.migrated_from,
            migrated_inputs=done.migrated_inputs,
        ),
    )
