"""Merging into an existing ICS workbook: read it back, and carry forward the places not
submitted again, with their inputs exactly as the previous merge recorded them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ltpgap._sniff import LockFile, lock_file, open_in_excel
from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.layout import REPORT_WORKBOOK
from ltpgap.merge._data_crc import column_crcs, edited_columns
from ltpgap.merge._sheets import PLACE_DATA
from ltpgap.merge.model import PlaceRef, PlaceSubmission
from ltpgap.rag import Locator, PlaceAssessment, UnitInputs, assess_units
from ltpgap.rag._table import Table, as_columns, input_locator, table_columns, table_frame
from ltpgap.schema import HEADER_OF, INPUT_KEYS

if TYPE_CHECKING:
    from ltpgap.merge.ics_data import IcsWorkbook

# Reading files (python-calamine) and migrating between catalogues (the workbook layer) are
# imported where they are used: the Excel add-in carries units forward from an open workbook
# (ltpgap.xl.ics), where neither may be importable (xlwings Lite).

__all__ = [
    "additions_ahead",
    "by_column",
    "carry_forward",
    "check_out_name",
    "dropped_units",
    "edited_place_data",
    "edits_ahead",
    "keep_additions",
    "lock_left_out",
    "previous_rollup",
    "previous_workbook",
    "ref_locator",
    "report_left_out",
    "rows_cut",
    "same_file",
    "unit_rows",
    "without_lock_files",
]

_LEAD = ("place", "source_file", "row", "para")


def _not_replaced(out: Path, message: str) -> LtpgapError:
    """The error for an --out file this merge must not overwrite."""
    return LtpgapError(
        [make_issue("file-exists", message, where=Where(file=str(out)))],
        summary=f"{out}: not replaced",
    )


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` is the existing file ``b`` (the output given among the inputs)."""
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


#: What a merge or a roll-up calls itself, and what it did to a workbook, in its messages.
_JOB = {"merge": ("merge", "merged"), "rollup": ("roll-up", "rolled up")}
#: What became of a file that is not an input, by the command it was given to.
_LEFT_OUT = {
    "merge": "it was left out of the merge",
    "rollup": "it was left out of the roll-up",
    "check": "it was not checked",
}
Job = Literal["merge", "rollup", "check"]


def lock_left_out(path: Path, lock: LockFile, job: Job, after: str = "") -> Issue:
    """Excel's lock file of an open workbook, found among the workbooks: a warning."""
    return make_issue(
        "excel-lock-file",
        f"this is {lock.describe()}, not a workbook, so {_LEFT_OUT[job]}.{after}",
        where=Where(file=str(path)),
        severity=Severity.WARNING,
    )


def _as_last_saved(name: str, job: Literal["merge", "rollup"]) -> str:
    """What an input open in Excel means for this job: its unsaved changes are not in it."""
    noun, done = _JOB[job]
    return (
        f"{name} was {done} as last saved; changes not yet saved in Excel are not in this {noun}."
    )


def _close_unsaved(job: Literal["merge", "rollup"]) -> str:
    """What to do with the workbook this job writes while Excel has it open."""
    noun = _JOB[job][0]
    return (
        f"close it in Excel without saving (saving it would overwrite this {noun}) and open it "
        "again."
    )


def _open_note(
    path: Path, lock: LockFile, job: Literal["merge", "rollup"], *, writes: bool
) -> Issue:
    """A workbook this job reads or writes is open in Excel (its lock file is beside it)."""
    return lock.open_warning(
        path,
        f"this {_JOB[job][0]} writes it: {_close_unsaved(job)}"
        if writes
        else _as_last_saved("it", job),
    )


def without_lock_files(
    files: list[Path],
    out: Path,
    job: Literal["merge", "rollup"],
    progress: Callable[[Path, bool], None] | None = None,
) -> tuple[list[Path], list[Issue]]:
    """The files less the lock files Excel keeps beside open workbooks ('~$luton.xlsx', which
    places/*.xlsx picks up while someone has luton.xlsx open), each left out with a warning
    (and counted on the progress bar, as every file given is). A workbook given, or ``out``,
    whose lock file was not given but is beside it is named too (workbook-open)."""
    locks = {f: lock for f in files if (lock := lock_file(f)) is not None}
    given = {f.name.casefold() for f in files if f not in locks}
    notes = []
    named = {lock.workbook.casefold() for lock in locks.values()}
    for path in [*(f for f in files if f not in locks), out]:
        if path.name.casefold() not in named and (lock := open_in_excel(path)) is not None:
            named.add(path.name.casefold())
            notes.append(_open_note(path, lock, job, writes=path == out))
    for path, lock in locks.items():
        if lock.workbook.casefold() == out.name.casefold():
            after = f" {lock.workbook} is the workbook this {_JOB[job][0]} writes: "
            after += _close_unsaved(job)
        elif lock.workbook.casefold() in given:
            after = " " + _as_last_saved(lock.workbook, job)
        else:
            after = ""
        notes.append(lock_left_out(path, lock, job, after))
        if progress is not None:
            progress(path, False)
    return [f for f in files if f not in locks], notes


def keep_additions(
    previous: IcsWorkbook | None, out: Path, now: datetime | None, job: Literal["merge", "rollup"]
) -> tuple[Path | None, list[Issue]]:
    """Where to copy the workbook being replaced, when someone added to it by hand (a sheet of
    notes, a comment column): a merge or roll-up writes every sheet afresh, so nothing of
    theirs is carried over, and the copy keeps it. With the warning that says so."""
    if previous is None or not previous.additions:
        return None, []
    from ltpgap.workbook._atomic import backup_path

    keep = backup_path(out, now)
    what = "; ".join(previous.additions)
    return keep, [
        make_issue(
            "ics-workbook-additions",
            f"{out.name} held additions of your own ({what}). A {_JOB[job][0]} writes every "
            f"sheet afresh, so they are not in the new workbook; the previous workbook was "
            f"kept as {keep.name}. Copy what you need from it, and keep notes in a workbook "
            "of their own.",
            where=Where(file=str(out)),
            severity=Severity.WARNING,
        )
    ]


def additions_ahead(book: IcsWorkbook) -> list[Issue]:
    """`ltpgap check` on an ICS workbook that holds additions by hand: said before the next
    merge or roll-up into it copies it aside (the warning it would give, given ahead)."""
    if not book.additions:
        return []
    return [
        make_issue(
            "ics-workbook-additions",
            f"this workbook holds additions of your own ({'; '.join(book.additions)}). A merge "
            "or roll-up into it writes every sheet afresh: it first copies this workbook to "
            f"{Path(book.path).stem}.<date-time>.bak.xlsx, and the new one will not hold them. "
            "Move them to a workbook of their own.",
            where=Where(file=book.path),
            severity=Severity.WARNING,
        )
    ]


def report_left_out(path: Path, job: Job) -> Issue:
    """The summary workbook of `ltpgap report`, given among the workbooks: a warning."""
    return make_issue(
        "report-workbook",
        f"this is {REPORT_WORKBOOK}; it holds no inputs, so {_LEFT_OUT[job]}.",
        where=Where(file=str(path)),
        severity=Severity.WARNING,
    )


def check_out_name(out: Path) -> None:
    """Refuse an --out that does not end in .xlsx: Excel will not open a workbook by that
    name (it goes by the extension), and a merge or roll-up writes nothing else."""
    if out.suffix.lower() == ".xlsx":
        return
    raise LtpgapError(
        [
            make_issue(
                "bad-output-name",
                f"--out must name an Excel workbook ending in .xlsx; '{out.name}' would be a "
                "workbook that Excel refuses to open by that name. Use, for example, "
                f"'{out.stem or 'ICS'}.xlsx'.",
                where=Where(file=str(out)),
            )
        ],
        summary=f"{out}: not written",
    )


def _existing(out: Path) -> IcsWorkbook | None:
    """The ltpgap workbook already at ``out`` (None if there is none); anything else that
    is there, or that cannot be read, is refused (never overwritten)."""
    check_out_name(out)
    if not out.exists():
        return None
    from ltpgap.merge.ics_reader import read_ics_workbook

    try:
        return read_ics_workbook(out)
    except LtpgapError as exc:
        why = (exc.issues[0].message if exc.issues else "it cannot be read").rstrip(" .")
        raise _not_replaced(
            out,
            f"--out names an existing file that ltpgap cannot update: {why}. Choose another "
            "--out, or move the file away.",
        ) from None


def previous_rollup(out: Path) -> IcsWorkbook | None:
    """The earlier roll-up at ``out`` (replaced), or None; refuses any other workbook."""
    previous = _existing(out)
    if previous is not None and previous.scope not in ("region", "national"):
        raise _not_replaced(
            out,
            f"--out names an existing ICS workbook ({previous.unit_name}), not a roll-up; a "
            "roll-up would overwrite it. Choose another --out.",
        )
    return previous


def previous_workbook(out: Path, ics: IcsConfig) -> tuple[IcsWorkbook | None, list[Issue]]:
    """The ICS workbook already at ``out`` (None if there is none); refuses anything else."""
    previous = _existing(out)
    if previous is None:
        return None, []
    problem = ""
    if previous.scope != "ics-merge":
        problem = f"it is a {previous.scope} roll-up, not an ICS merge"
    elif previous.unit_id != ics.id:
        problem = f"it holds the merge of ICS '{previous.unit_id}', not of {ics.name} ('{ics.id}')"
    if problem:
        raise _not_replaced(
            out,
            f"--out names an existing ICS workbook that this merge cannot update: {problem}. "
            "Choose another --out.",
        )
    return previous, list(previous.issues)


def ref_locator(ref: PlaceRef, inputs: Table) -> Callable[[str, str], Where]:
    """(para, input key) → the cell in the unit's own workbook, from its recorded layout."""
    columns = as_columns(inputs)
    return input_locator(
        file=ref.file or None,
        sheet=ref.sheet or None,
        letters=ref.columns,
        paras=columns["para"],
        rows=columns["row"],
    )


def _inputs(rows: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The kept rows as an inputs frame (para, row, inputs, extras that hold something)."""
    names = [c for c in rows.columns if c not in ("place", "source_file")]
    extras = tuple(str(c) for c in names[2 + len(INPUT_KEYS) :] if rows[c].notna().any())
    return rows[["para", "row", *INPUT_KEYS, *extras]].reset_index(drop=True), extras


class _Rows:
    """The previous workbook's Place data as one block of cells, cut into each unit's inputs."""

    def __init__(self, data: pd.DataFrame) -> None:
        names = [str(c) for c in data.columns]
        extras = [c for c in names if c not in ("place", "source_file")][2 + len(INPUT_KEYS) :]
        self.names = ["para", "row", *INPUT_KEYS, *extras]
        self.first_extra = 2 + len(INPUT_KEYS)
        self.cells = data.to_numpy(dtype=object)[:, [names.index(c) for c in self.names]]

    def unit(self, positions: list[int]) -> tuple[dict[str, list[object]], tuple[str, ...]]:
        """The kept rows (para, row, inputs, extras that hold something) column by column,
        as :func:`_inputs` gives them as a frame."""
        block = self.cells[positions]
        held = ~pd.isna(block[:, self.first_extra :]).all(axis=0)
        found = np.flatnonzero(held).tolist()
        keep = [*range(self.first_extra), *(self.first_extra + j for j in found)]
        names = [self.names[j] for j in keep]
        values = block[:, keep].T.tolist() if len(positions) else [[] for _ in keep]
        return dict(zip(names, values, strict=True)), tuple(names[self.first_extra :])


def _kept_one(
    ref: PlaceRef,
    inputs: dict[str, list[object]],
    extras: tuple[str, ...],
    locate: Locator,
    *,
    scope: Literal["place", "ics"],
    catalogue: Catalogue,
    lookup: Callable[[str], Catalogue | None],
    out: str,
) -> PlaceSubmission:
    """A unit recorded against another catalogue: migrated, or kept unassessed."""
    kept = replace(ref, status="kept")
    old = lookup(ref.catalogue_hash)
    if old is None or old.info.id != catalogue.info.id:
        problem = make_issue(
            "catalogue-mismatch",
            f"the data kept for {ref.name} from the previous merge was recorded against "
            f"catalogue version {ref.catalogue_version}, which is not known here, so it "
            "cannot be assessed. Pass --from with that catalogue file, or ask the place to "
            "send its workbook again; with --keep-going the merge keeps the data on the Place "
            "data sheet, unassessed.",
            where=Where(file=out, sheet=PLACE_DATA),
        )
        return PlaceSubmission(
            ref=kept,
            scope=scope,
            input_columns=inputs,
            extra_headers=extras,
            assessment=None,
            issues=(problem,),
        )
    from ltpgap.merge._accept import migrate_inputs

    assessment, notes, moved = migrate_inputs(
        table_frame(inputs),
        old,
        catalogue,
        scope=scope,
        unit_id=ref.id,
        file=ref.file,
        locate=locate,
    )
    return PlaceSubmission(
        ref=kept,
        scope=scope,
        input_columns=inputs,
        extra_headers=extras,
        assessment=assessment,
        issues=(*notes, *assessment.issues),
        migrated_from=f"{old.info.id} {old.info.version}",
        migrated_inputs=moved,
    )


def _as_now(ref: PlaceRef, ics: IcsConfig) -> PlaceRef:
    """A kept unit named and weighted as the ICS file says now: it is the authority on names
    and populations, for kept units as for submitted ones (new population estimates must not
    leave a kept place weighted by the old one in the metadata a roll-up reads)."""
    place = ics.place(ref.id)
    if place is not None:
        return replace(ref, name=place.name, population=place.population)
    if ref.id == ics.id:
        return replace(ref, name=ics.name, population=ics.population)
    return ref


def dropped_units(previous: IcsWorkbook | None, ics: IcsConfig) -> list[PlaceRef]:
    """Units whose data the previous workbook holds but the ICS file no longer lists."""
    if previous is None:
        return []
    wanted = {*ics.place_ids, ics.id}
    refs = (*previous.places, *([previous.team] if previous.team else []))
    return [r for r in refs if r.id not in wanted and r.status in ("submitted", "kept")]


def _dropped(ref: PlaceRef, out: str) -> Issue:
    return make_issue(
        "place-not-in-ics",
        f"the ICS workbook holds data for {ref.name} ('{ref.id}') from an earlier merge, but the "
        "ICS file no longer lists that place, so its data cannot be carried forward. Put the "
        "place back in the ICS file (--ics); or, if it has left the ICS, keep a copy of this "
        "workbook and merge with --keep-going to leave its data out.",
        where=Where(file=out, sheet=PLACE_DATA),
    )


def rows_cut(ref: PlaceRef, held: int) -> bool:
    """Whether Place data holds fewer of the unit's rows (``held``) than the merge wrote
    (``kept-data-damaged``); False when that was not recorded."""
    return ref.rows is not None and held < ref.rows


def _columns_named(names: list[str]) -> str:
    """Place data's headers in words: the 'Status' column, the 'Status' and 'Lead' columns."""
    quoted = [f"'{HEADER_OF.get(n, n)}'" for n in names]
    if len(quoted) == 1:
        return f"the {quoted[0]} column"
    return f"the {', '.join(quoted[:-1])} and {quoted[-1]} columns"


def edited_place_data(
    ref: PlaceRef,
    columns: Mapping[str, list[object]],
    path: str,
    *,
    now: Literal["kept", "submitted", "ahead"],
) -> list[Issue]:
    """A ``place-data-edited`` warning when a unit's rows on Place data differ from what the
    merge that recorded them wrote (``ref.crc``): changed by hand since. For a unit kept, its
    inputs are those values as they now are; for one submitted again, the changes listed
    compare its workbook with them, not with what it sent before; ahead (`ltpgap check`), the
    next merge will take them as its inputs unless its workbook is merged again."""
    if ref.crc is None:  # written before the merge recorded it
        return []
    edited = edited_columns(ref.crc, columns)
    if not edited:
        return []
    name, which = ref.name, _columns_named(edited)
    if now == "kept":
        what = (
            f"{name} was kept from the previous merge, but {which} of its rows on the Place "
            "data sheet changed since that merge wrote them (edited by hand?). The values as "
            f"they are now were taken as {name}'s inputs; ltpgap cannot tell what they were, "
            "so they are not listed as input-changed. If that was not meant, take Place data "
            f"from a copy of the ICS workbook, or merge {name}'s workbook again."
        )
    elif now == "submitted":
        what = (
            f"{which} of {name}'s rows on the Place data sheet changed since the previous "
            f"merge wrote them (edited by hand?), so the input-changed rows of {name} compare "
            "its workbook with those values, not with what it sent before."
        )
    else:
        what = (
            f"{which} of {name}'s rows on the Place data sheet changed since the merge wrote "
            f"them (edited by hand?). A merge into this workbook takes them as {name}'s inputs "
            "unless its workbook is merged again; if that is not meant, take Place data from a "
            "copy of the ICS workbook."
        )
    return [
        make_issue(
            "place-data-edited",
            what[0].upper() + what[1:],
            where=Where(file=path, sheet=PLACE_DATA),
            severity=Severity.WARNING,
        )
    ]


def unit_rows(data: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """One unit's rows of Place data as read."""
    return data[data["place"] == unit_id]


def by_column(rows: pd.DataFrame) -> dict[str, list[object]]:
    """Rows of Place data column by column, as :func:`edited_place_data` takes them ('row',
    'para', input keys, every extra column)."""
    return {str(k): rows.iloc[:, j].tolist() for j, k in enumerate(rows.columns) if j >= 2}


def edits_ahead(book: IcsWorkbook) -> list[Issue]:
    """`ltpgap check` on an ICS workbook whose Place data was changed by hand since the merge
    wrote it: the ``place-data-edited`` warning, given before a merge takes the values."""
    if book.scope != "ics-merge" or book.place_data_missing:
        return []  # kept-data-damaged, at the merge, says what is missing
    data = book.place_data
    cells = _Rows(data) if data.columns.is_unique else None
    at: dict[object, list[int]] = {}  # place id → its rows' positions, in order
    for i, place in enumerate(data["place"].tolist()):
        at.setdefault(place, []).append(i)
    issues: list[Issue] = []
    for ref in (*book.places, *([book.team] if book.team else [])):
        if ref.crc is None or ref.status not in ("submitted", "kept"):
            continue
        positions = at.get(ref.id, [])
        if rows_cut(ref, len(positions)):
            continue  # the merge says kept-data-damaged
        columns = cells.unit(positions)[0] if cells else by_column(data.take(positions))
        issues += edited_place_data(ref, columns, book.path, now="ahead")
    return issues


def carry_forward(
    previous: IcsWorkbook | None,
    submitted: Mapping[str, PlaceSubmission],
    ics: IcsConfig,
    catalogue: Catalogue,
    lookup: Callable[[str], Catalogue | None],
    *,
    assessed: Mapping[str, PlaceAssessment] | None = None,
) -> tuple[dict[str, PlaceSubmission], list[Issue]]:
    """Submissions rebuilt from the previous workbook for units not submitted this time, and
    a ``place-not-in-ics`` error for each unit with data there that the ICS file no longer
    lists (its data is not carried). ``assessed``: unit id → its assessment from these same
    rows against this catalogue, already made (a merge's check of the workbook it replaces),
    taken as it is instead of assessing the unit again."""
    if previous is None:
        return {}, []
    gone = [_dropped(ref, previous.path) for ref in dropped_units(previous, ics)]
    cut: list[tuple[PlaceRef, int]] = []  # kept units with fewer rows than were written
    data = previous.place_data
    units = [(p, "place") for p in previous.places]
    if previous.team is not None:
        units.append((previous.team, "ics"))
    wanted = {*ics.place_ids, ics.id}
    at: dict[object, list[int]] = {}  # place id → its rows' positions, in order
    for i, place in enumerate(data["place"].tolist()):
        at.setdefault(place, []).append(i)
    rows = _Rows(data) if data.columns.is_unique else None
    built: list[tuple[str, PlaceSubmission | None]] = []  # in the units' order
    edited: list[Issue] = []  # kept units whose rows were changed by hand since
    current: list[tuple[int, PlaceRef, dict[str, list[object]], tuple[str, ...], UnitInputs]] = []
    for ref, scope in units:
        if ref.id in submitted or ref.id not in wanted or ref.status not in ("submitted", "kept"):
            continue
        ref = _as_now(ref, ics)
        positions = at.get(ref.id, [])
        short = rows_cut(ref, len(positions))
        if short:
            cut.append((ref, len(positions)))
        if rows is not None:
            inputs, extras = rows.unit(positions)
        else:
            framed, extras = _inputs(data.take(positions))
            inputs = table_columns(framed)
        said = (  # rows or columns cut: kept-data-damaged says so
            []
            if short or previous.place_data_missing
            else edited_place_data(ref, inputs, previous.path, now="kept")
        )
        if said:  # its data is now the values as they are: recorded as such from here on
            edited += said
            when = ref.edited_after or previous.generated_at or ref.merged_at
            ref = replace(ref, edited_after=when, crc=column_crcs(inputs))
        locate = ref_locator(ref, inputs)
        unit_scope: Literal["place", "ics"] = "ics" if scope == "ics" else "place"
        if not ref.catalogue_hash or ref.catalogue_hash == catalogue.content_hash:
            unit = UnitInputs(unit_id=ref.id, inputs=inputs, scope=unit_scope, locate=locate)
            current.append((len(built), ref, inputs, extras, unit))
            built.append((ref.id, None))
            continue
        other = _kept_one(
            ref,
            inputs,
            extras,
            locate,
            scope=unit_scope,
            catalogue=catalogue,
            lookup=lookup,
            out=previous.path,
        )
        built.append((ref.id, other))
    # The units recorded against this catalogue, assessed together (each as if alone),
    # unless already assessed from these rows.
    done = assessed or {}
    fresh = iter(assess_units(catalogue, [u for *_, u in current if u.unit_id not in done]))
    for slot, ref, inputs, extras, unit in current:
        assessment = done[ref.id] if ref.id in done else next(fresh)
        built[slot] = (
            ref.id,
            PlaceSubmission(
                ref=replace(ref, status="kept"),
                scope=unit.scope,
                input_columns=inputs,
                extra_headers=extras,
                assessment=assessment,
                issues=assessment.issues,
            ),
        )
    kept: dict[str, PlaceSubmission] = {}
    for unit_id, submission in built:
        assert submission is not None
        kept[unit_id] = submission
    damaged = _damaged_place_data(previous, [s.ref for s in kept.values()], cut, at, wanted)
    return kept, [*gone, *damaged, *edited]


def _damaged_place_data(
    previous: IcsWorkbook,
    kept: list[PlaceRef],
    cut: list[tuple[PlaceRef, int]],
    at: Mapping[object, list[int]],
    units: set[str],
) -> list[Issue]:
    """Errors for data kept on Place data that hand edits have cut: the sheet gone, a kept
    unit's rows deleted (fewer than the merge wrote), input columns gone (renamed or
    deleted); and a warning for rows that name no unit (their inputs are not carried)."""
    where = Where(file=previous.path, sheet=PLACE_DATA)
    gone_sheet = len(previous.place_data_missing) == len(INPUT_KEYS)
    if gone_sheet:  # always written by a merge: whatever was recorded, it is all gone
        cut = [(r, 0) for r in kept if r.rows != 0]  # 0: a blank workbook, nothing lost
    issues = [
        make_issue(
            "kept-data-damaged",
            f"{ref.name} was kept from the previous merge, but the Place data sheet "
            + (
                "is gone (deleted or renamed)"
                if gone_sheet
                else f"holds {found} of the {ref.rows} rows the merge wrote for it"
                if found
                else "holds no row for it"
            )
            + ", so the inputs of those rows cannot be carried over. Undo the edit (or take "
            f"Place data from a copy of the ICS workbook), or merge {ref.name}'s workbook "
            "again; --keep-going merges all the same, without them.",
            where=where,
        )
        for ref, found in cut
    ]
    cut_ids = {r.id for r, _ in cut}
    with_rows = [r.name for r in kept if r.id not in cut_ids and r.rows != 0]
    if previous.place_data_missing and not gone_sheet and with_rows:
        columns = ", ".join(f"'{h}'" for h in previous.place_data_missing)
        issues.append(
            make_issue(
                "kept-data-damaged",
                f"the Place data sheet has no {columns} column (renamed or deleted), so those "
                f"inputs of {', '.join(with_rows)}, kept from the previous merge, would be "
                "lost. Put the header back as it was, or merge their workbooks again; "
                "--keep-going merges all the same, without those inputs.",
                where=where,
            )
        )
    recorded = {r.id for r in (*previous.places, *([previous.team] if previous.team else []))}
    for place in [p for p in at if p not in units and p not in recorded]:
        rows = at[place]
        shown = f"'{place}'" if place else "no place"
        issues.append(
            make_issue(
                "kept-data-damaged",
                f"{len(rows)} row(s) of the Place data sheet name {shown}, not a unit of this "
                "workbook (the Place cell was edited?), so their inputs are not carried over. "
                "Put the place's name back, or merge its workbook again.",
                where=where,
                severity=Severity.WARNING,
            )
        )
    return issues
