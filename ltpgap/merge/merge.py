"""`ltpgap merge`: place workbooks (and the ICS team's) → one ICS workbook (SPEC §6–§7).

Pure orchestration: read every file through the gate and reader (:mod:`._collect`), decide
which can be merged (:mod:`._accept`), carry forward the places not submitted again from the
previous ICS workbook, list every input that changed since then (:mod:`._changes`), roll up
with :func:`ltpgap.rag.rollup_ics`, and hand the content to the writer. Every problem is an
Issue; a file that cannot be merged stops the merge (nothing written) unless ``keep_going``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from ltpgap._gc import collector_paused
from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue, only
from ltpgap.merge._accept import Verdict, accept, catalogue_lookup
from ltpgap.merge._carry import (
    by_column,
    carry_forward,
    dropped_units,
    edited_place_data,
    keep_additions,
    previous_workbook,
    report_left_out,
    same_file,
    unit_rows,
    without_lock_files,
)
from ltpgap.merge._changes import input_changes
from ltpgap.merge._collect import (
    NONE_GIVEN,
    BookReader,
    FileRead,
    default_reader,
    read_files,
)
from ltpgap.merge._content import ics_content
from ltpgap.merge._place_data import distinct_extras
from ltpgap.merge._typed_over import assessed_again, typed_over
from ltpgap.merge.ics_reader import IcsWorkbook, probe_scope
from ltpgap.merge.ics_writer import write_ics_workbook
from ltpgap.merge.model import IcsContent, MergeResult, PlaceSubmission
from ltpgap.rag import PlaceAssessment
from ltpgap.rag._table import row_locator
from ltpgap.schema import INPUT_KEYS

__all__ = ["Progress", "merge_workbooks"]

#: Called after each file is read: (path, merged?).
Progress = Callable[[Path, bool], None]


def _explain(verdict: Verdict, read: FileRead) -> Verdict:
    """A merged ICS workbook given as a place workbook gets a message that says so."""
    book = read.book
    suspect = (
        any(i.code == "no-gap-table" for i in read.failure)
        if book is None
        else book.meta is None or not book.meta.intact
    )
    scope = probe_scope(verdict.path) if suspect else None
    if scope is None:
        return verdict
    issue = make_issue(
        "not-a-place-workbook",
        f"this is an ICS workbook ({scope}) written by ltpgap, not a place workbook. Leave it "
        "out of the files to merge (to update it, pass it as --out); to combine ICS "
        "workbooks use `ltpgap rollup`.",
        where=Where(file=str(verdict.path)),
    )
    return Verdict(verdict.path, None, [issue])


def _saved(stamp: str) -> str:
    """'saved 2024-01-05 09:12 UTC' from a file's modification time (ISO 8601, UTC)."""
    return f"saved {stamp[:16].replace('T', ' ')} UTC" if stamp else "time saved unknown"


def _duplicates(verdicts: list[Verdict]) -> tuple[list[Verdict], list[Issue]]:
    """The same place twice: identical files are read once; different ones both refused."""
    by_unit: dict[str, list[int]] = {}
    for i, v in enumerate(verdicts):
        if v.submission is not None:
            by_unit.setdefault(v.submission.unit_id, []).append(i)
    notes: list[Issue] = []
    out = list(verdicts)
    for unit, idx in by_unit.items():
        if len(idx) < 2:
            continue
        files = [str(verdicts[i].path) for i in idx]
        hashes = {verdicts[i].submission.ref.file_sha256 for i in idx}  # type: ignore[union-attr]
        if len(hashes) == 1:
            notes.append(
                make_issue(
                    "duplicate-place",
                    f"the same workbook for '{unit}' was given {len(idx)} times "
                    f"({', '.join(files)}); it was read once.",
                    where=Where(file=files[-1]),
                    severity=Severity.WARNING,
                )
            )
            for i in idx[1:]:
                out[i] = Verdict(verdicts[i].path, None, [], unit=unit)
            continue
        saved = {
            str(verdicts[i].path): verdicts[i].submission.ref.submitted_at  # type: ignore[union-attr]
            for i in idx
        }
        for i in idx:
            this = str(verdicts[i].path)
            others = ", ".join(f"{f} ({_saved(saved[f])})" for f in files if f != this)
            problem = make_issue(
                "duplicate-place",
                f"two different workbooks both say they are '{unit}': this one "
                f"({_saved(saved[this])}) and {others}. ltpgap cannot tell which is the "
                "place's submission, so neither is merged. Keep the right one (usually the one "
                "saved last) and merge again.",
                where=Where(file=str(verdicts[i].path), sheet="_ltpgap"),
            )
            out[i] = Verdict(verdicts[i].path, None, [problem], unit=unit)
    return out, notes


def _read_all(
    paths: Sequence[Path],
    *,
    catalogue: Catalogue,
    ics: IcsConfig,
    lookup: Callable[[str], Catalogue | None],
    stamp: str,
    jobs: int | None,
    reader: BookReader,
    progress: Progress | None,
) -> tuple[list[Verdict], list[Issue]]:
    verdicts = []
    left_out: list[Issue] = []
    for read in read_files(paths, catalogue, jobs=jobs, reader=reader):
        verdict = accept(read, ics, catalogue, lookup, stamp)
        verdict = verdict if verdict.usable else _explain(verdict, read)
        if _is_report(verdict):  # picked up with the workbooks (out/*.xlsx): not an input
            left_out.append(report_left_out(verdict.path, "merge"))
            verdict = Verdict(verdict.path, None, [])
        verdicts.append(verdict)
        if progress is not None:
            progress(read.path, verdict.usable)
    verdicts, notes = _duplicates(verdicts)
    return verdicts, [*left_out, *notes]


def _is_report(verdict: Verdict) -> bool:
    """True for the summary workbook of `ltpgap report`: it holds no inputs to merge."""
    return only(verdict.problems, "report-workbook")


def _skipped(verdict: Verdict, previous: IcsWorkbook | None) -> Issue:
    errors = [i for i in verdict.problems if i.severity is Severity.ERROR]
    first = errors or list(verdict.problems)
    codes = ", ".join(dict.fromkeys(i.code for i in first))
    what = f"{len(errors)} error(s)" if errors else "the problem(s)"
    unit = next((i.where.file for i in first if i.where.file), None)
    kept = ""
    if previous is not None and not verdict.path.is_dir():  # a folder is no place's file
        kept = " Its place keeps the data of the previous merge, if any (see Read me)."
    fix = "give the workbooks in it, or leave it out" if verdict.path.is_dir() else "fix them"
    return make_issue(
        "place-skipped",
        f"{verdict.path.name} was not merged because of {what} listed for it ({codes}); "
        f"{fix} and merge again.{kept}",
        where=Where(file=unit or str(verdict.path)),
    )


def _unusable(
    verdicts: list[Verdict], keep_going: bool, previous: IcsWorkbook | None
) -> list[Issue]:
    bad = [v for v in verdicts if not v.usable and v.problems]
    problems = [i for v in bad for i in v.problems]
    if bad and not keep_going:
        raise LtpgapError(
            sorted(problems, key=lambda i: i.severity is not Severity.ERROR),
            summary=f"{len(bad)} workbook(s) cannot be merged; nothing was written "
            "(fix them, or merge the others with --keep-going)",
        )
    return [*(_skipped(v, previous) for v in bad), *problems]


def _not_ours(verdict: Verdict) -> bool:
    """True for a refused input known to be no unit's of this ICS (another ICS's, a merged
    ICS workbook, a folder), as opposed to a file that could not be told whose it is."""
    codes = ("place-not-in-ics", "not-a-place-workbook")
    return verdict.path.is_dir() or any(i.code in codes for i in verdict.problems)


def _had(previous: IcsWorkbook) -> set[str]:
    """Units whose data the previous workbook held (submitted then, or kept)."""
    refs = (*previous.places, *([previous.team] if previous.team else []))
    return {r.id for r in refs if r.status in ("submitted", "kept")}


def _changes(
    subs: Sequence[PlaceSubmission], previous: IcsWorkbook | None
) -> dict[str, list[Issue]]:
    """Per resubmitted unit, every input cell changed since the previous merge (and a warning
    first when its rows there were changed by hand since that merge wrote them)."""
    if previous is None:
        return {}
    data = previous.place_data
    had = _had(previous)
    refs = {r.id: r for r in (*previous.places, *([previous.team] if previous.team else []))}
    old_extras = [str(c) for c in data.columns[4 + len(INPUT_KEYS) :]]
    out: dict[str, list[Issue]] = {}
    for sub in subs:
        if sub.unit_id not in had:
            continue  # a first submission: nothing to compare with
        before = unit_rows(data, sub.unit_id)
        ref = refs[sub.unit_id]
        edited = edited_place_data(ref, by_column(before), previous.path, now="submitted")
        out[sub.unit_id] = edited + input_changes(
            place=sub.ref.name,
            before=before,
            after=sub.input_columns,
            extras=[*sub.extra_headers, *old_extras],
            locate=row_locator(
                file=sub.ref.file or None, sheet=sub.ref.sheet or None, letters=sub.letters
            ),
            sheet_where=Where(file=sub.ref.file, sheet=sub.ref.sheet or None),
        )
    return out


@collector_paused()
def merge_workbooks(
    paths: Sequence[str | Path],
    *,
    out: str | Path,
    catalogue: Catalogue | None = None,
    ics: IcsConfig | None = None,
    keep_going: bool = False,
    from_catalogues: Sequence[Catalogue] = (),
    jobs: int | None = None,
    progress: Progress | None = None,
    reader: BookReader | None = None,
    write: bool = True,
    now: datetime | None = None,
) -> MergeResult:
    """Merge place workbooks (and the ICS team's) into the ICS workbook ``out``.

    Raises LtpgapError (nothing written) when a workbook cannot be merged, unless
    ``keep_going``: then the others are merged and the rest reported as ``place-skipped``.
    Merging into an existing ``out`` replaces each resubmitted place's data and keeps the
    others'; every input cell that changed since is reported as ``input-changed``.
    """
    catalogue = catalogue or load_catalogue()
    ics = ics or load_ics()
    out = Path(out)
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    previous, early = previous_workbook(out, ics)
    again = None  # the previous workbook's units, assessed once: for this check and the carry
    if previous is not None:
        again = assessed_again(previous, catalogue)
        early += typed_over(previous, catalogue, replaced_by="merge", again=again)
    keep, additions = keep_additions(previous, out, now, "merge")
    files = [Path(p) for p in paths if not same_file(Path(p), out)]
    files, locks = without_lock_files(files, out, "merge", progress)
    lookup = catalogue_lookup(catalogue, from_catalogues)
    verdicts, dup_notes = _read_all(
        files,
        catalogue=catalogue,
        ics=ics,
        lookup=lookup,
        stamp=stamp,
        jobs=jobs,
        reader=reader or default_reader,
        progress=progress,
    )
    problems = _unusable(verdicts, keep_going, previous)
    content = _content(
        verdicts,
        previous,
        ics,
        catalogue,
        lookup,
        stamp,
        [*early, *additions, *locks, *problems, *dup_notes],
        keep_going=keep_going,
        assessed=again.assessments() if again is not None else None,
    )
    content = replace(content, keep_previous=keep)
    if write:
        write_ics_workbook(content, out)
    return MergeResult(
        ics=ics,
        catalogue=catalogue,
        out=out,
        submissions=content.submissions,
        rollup=content.rollup,
        issues=content.issues,
        skipped=tuple(v.path for v in verdicts if not v.usable and v.problems),
        dropped=tuple(r.id for r in dropped_units(previous, ics)),
        generated_at=stamp,
        written=write,
        content=content,
    )


def _content(
    verdicts: list[Verdict],
    previous: IcsWorkbook | None,
    ics: IcsConfig,
    catalogue: Catalogue,
    lookup: Callable[[str], Catalogue | None],
    stamp: str,
    first: list[Issue],
    *,
    keep_going: bool,
    assessed: Mapping[str, PlaceAssessment] | None = None,
) -> IcsContent:
    """What the ICS workbook will show: units new and kept, the roll-up, every issue.

    Data kept from the previous merge that cannot be assessed (recorded against a catalogue
    not known here) stops the merge, as a workbook built from one does, and so does data of
    a unit the ICS file no longer lists, unless ``keep_going``: then the former is kept on
    Place data, unassessed, and the latter left out.
    """
    subs = {v.submission.unit_id: v.submission for v in verdicts if v.submission is not None}
    refused = [v for v in verdicts if not v.usable and v.problems]
    skipped = {v.unit for v in refused if v.unit}
    unplaced = sum(v.unit is None and not _not_ours(v) for v in refused)
    kept, kept_issues = carry_forward(previous, subs, ics, catalogue, lookup, assessed=assessed)
    unassessed = (i for s in kept.values() if s.assessment is None for i in s.issues)
    stuck = [i for i in (*unassessed, *kept_issues) if i.severity is Severity.ERROR]
    if stuck and not keep_going:
        raise LtpgapError(
            stuck,
            summary=f"the data kept from the previous merge cannot be used as it is "
            f"({len(stuck)} problem(s)); nothing was written (each problem says what to do; "
            "--keep-going merges all the same)",
        )
    if not subs and not kept:
        raise LtpgapError(
            [i for i in first if i.severity is Severity.ERROR]
            or [make_issue("no-workbooks", NONE_GIVEN.format(what="place workbook"))],
            summary="no workbook could be merged; nothing was written",
        )
    order = [*ics.place_ids, ics.id]  # the workbook's order, which names own columns first
    units = {**kept, **subs}
    units = {s.unit_id: s for s in distinct_extras([units[u] for u in order if u in units])}
    return ics_content(
        ics,
        catalogue,
        units,
        generated_at=stamp,
        skipped=skipped,
        unplaced=unplaced,
        first=first,
        after_missing=kept_issues,
        per_unit=_changes([units[u] for u in subs], previous),
    )
