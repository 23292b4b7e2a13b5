"""`python -m ltpgap.demo --out DIR` (what `make demo` runs): the BLMK example, end to end.

A plain sequence of steps, each printing what it did, in two rounds: round 1 fills the
workbooks in, recomputes and merges them (recording snapshot 1 in ``out/ltpgap.sqlite``);
round 2, a few months on, moves some initiatives on, recomputes and merges again into the
same ICS.xlsx and store (snapshot 2); the report then shows the movement between the two.
The place inputs are ILLUSTRATIVE (see :mod:`ltpgap.demo.illustrative`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from ltpgap.catalogue import Catalogue, check_catalogue
from ltpgap.cli._common import console, err_console, print_issues
from ltpgap.cli.merge import counts_overview
from ltpgap.demo.illustrative import ILLUSTRATIVE, NOTICE, illustrative_round
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.issues import LtpgapError
from ltpgap.rag import summarise
from ltpgap.rag.summary import must_do_red_rows
from ltpgap.schema import INPUT_KEYS
from ltpgap.workbook import (
    RecomputeResult,
    fill_inputs,
    init_workbooks,
    recompute_workbook,
)

if TYPE_CHECKING:
    from ltpgap.store import Store


def step_catalogue() -> Catalogue:
    """1. Validate the shipped catalogue and print its summary."""
    catalogue, issues = check_catalogue(None)
    print_issues(issues, title="catalogue problems")
    if catalogue is None:
        raise SystemExit(1)
    levels: dict[str, int] = {}
    for c in catalogue:
        levels[c.level] = levels.get(c.level, 0) + 1
    console.rule("1. Catalogue")
    console.print(
        f"{catalogue.info.title} {catalogue.info.id} {catalogue.info.version}: "
        f"{len(catalogue)} commitments across {len({c.chapter for c in catalogue})} chapters "
        f"and {len(catalogue.programme_areas)} programme areas; "
        f"{sum(c.must_do for c in catalogue)} national must-dos; levels "
        + ", ".join(f"{k} {v}" for k, v in levels.items())
        + "."
    )
    return catalogue


def step_init(catalogue: Catalogue, ics: IcsConfig, out: Path) -> list[Path]:
    """2. Write one workbook per place and one for the ICS team (`ltpgap init`)."""
    console.rule("2. Workbooks (ltpgap init)")
    paths = init_workbooks(catalogue, ics, out, force=True, notice=NOTICE)
    for path in paths:
        console.print(f"wrote {path}")
    return paths


def step_fill(paths: list[Path]) -> None:
    """3. Fill them in as the place teams would (ILLUSTRATIVE inputs)."""
    console.rule("3. Illustrative inputs, as the place teams would type them")
    for path in paths:
        rows = ILLUSTRATIVE.get(path.stem, {})
        fill_inputs(path, rows)
        console.print(f"filled {path}: {len(rows)} commitments with illustrative initiatives")


def step_recompute(
    paths: list[Path], title: str = "4. Recompute (ltpgap recompute)"
) -> list[RecomputeResult]:
    """4. Recompute RAG, Reason, Checks and Summary in each workbook (`ltpgap recompute`)."""
    console.rule(title)
    done = []
    for path in paths:
        result = recompute_workbook(path, backup=False)
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        console.print(f"{path}: {counts}; {len(result.result.issues)} check(s) noted")
        done.append(result)
    return done


def step_summaries(results: list[RecomputeResult], catalogue: Catalogue, ics: IcsConfig) -> None:
    """5. Print each place's summary (`ltpgap summary`), then places side by side by area."""
    console.rule("5. Summaries (ltpgap summary)")
    frames = [
        (d.path.stem + (" (ICS team)" if d.path.stem == ics.id else ""), d.result.assessment.frame)
        for d in results
    ]
    console.print(counts_overview(f"{ics.name}: RAG per workbook (illustrative inputs)", frames))
    # The paragraphs go under the table: a list in a cell would wrap into a narrow column.
    console.print("National must-dos at Red, by paragraph:")
    for label, frame in frames:
        paras = frame["para"].tolist()
        red = [str(paras[i]) for i in must_do_red_rows(frame)]
        console.print(f"  {label}: {', '.join(red) or 'none'}")
    places = [d for d in results if d.path.stem in ics.place_ids]
    areas = Table(title="Green / Amber / Red by programme area (illustrative inputs)")
    areas.add_column("programme area")
    by_place = {}
    for done in places:
        areas.add_column(done.path.stem, justify="right")
        table = summarise(done.result.assessment.frame, "programme_area", catalogue=catalogue)
        by_place[done.path.stem] = table.set_index("programme_area")
    for area in catalogue.programme_areas:
        cells = []
        for counts in by_place.values():
            cells.append(" / ".join(str(counts.at[area.id, k]) for k in ("Green", "Amber", "Red")))
        areas.add_row(area.name, *cells)
    console.print(areas)


def step_merge(
    paths: list[Path],
    catalogue: Catalogue,
    ics: IcsConfig,
    out: Path,
    *,
    db: Path | None = None,
    round: int = 1,
) -> Path:
    """6. Merge the four place workbooks and the ICS team's into ICS.xlsx (`ltpgap merge`).

    With ``db`` the merge is recorded as a snapshot there (`ltpgap merge --db`); round 1
    starts ICS.xlsx afresh, later rounds merge into it again.
    """
    from ltpgap.cli.merge import report_history, report_merge
    from ltpgap.merge import merge_and_record

    step = "6. ICS merge" if round == 1 else f"9. ICS merge, round {round}"
    console.rule(f"{step} (ltpgap merge{f' --db {db}' if db else ''})")
    target = out / "ICS.xlsx"
    if round == 1:
        target.unlink(missing_ok=True)  # the place workbooks were made afresh: so is the merge
    store = _open_store(db)
    try:
        done = merge_and_record(
            paths, out=target, store=store, who="ltpgap demo", catalogue=catalogue, ics=ics
        )
    finally:
        if store is not None:
            store.close()
    report_merge(done.result, quiet=False)
    report_history(done)
    return target


def _open_store(db: Path | None) -> Store | None:
    from ltpgap.cli._store import open_history

    return None if db is None else open_history(str(db))


def step_progress(paths: list[Path], catalogue: Catalogue, round: int = 2) -> None:
    """7. A few months on: some initiatives moved on, a few dates slipped (ILLUSTRATIVE)."""
    console.rule(f"7. Round {round}: the place teams update their workbooks (illustrative)")
    before = illustrative_round(round - 1, catalogue) if round > 2 else ILLUSTRATIVE
    after = illustrative_round(round, catalogue)
    for path in paths:
        old, new = before.get(path.stem, {}), after.get(path.stem, {})
        changed = {p: {k: v.get(k) for k in INPUT_KEYS} for p, v in new.items() if old.get(p) != v}
        fill_inputs(path, changed)
        console.print(f"updated {path}: {len(changed)} commitments moved on, slipped or added")


def step_report(
    workbook: Path,
    catalogue: Catalogue,
    ics: IcsConfig,
    out: Path,
    *,
    db: Path | None = None,
) -> list[Path]:
    """10. The governing-body report from ICS.xlsx (`ltpgap report out/ICS.xlsx --out out`).

    With ``db`` (the history store) it shows the movement since the previous snapshot.
    """
    from ltpgap.reports import Cover, load_report_data, write_report
    from ltpgap.reports.history import movement_from_store

    console.rule("10. Governing-body report (ltpgap report)")
    cover = Cover().updated(
        date="18 July 2019",
        purpose=f"{ics.report.purpose}. ILLUSTRATIVE: the inputs were invented for the ltpgap "
        "demo and are not the real plans of any organisation.",
    )
    data = load_report_data(workbook, ics, cover, catalogue=catalogue)
    store = _open_store(db)
    if store is not None:
        with store:
            data = data.with_movement(movement_from_store(store, ics.id, catalogue=catalogue))
    written = write_report(data, out)
    for path in written:
        console.print(f"wrote {path}")
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the demo into --out (default out/)."""
    parser = argparse.ArgumentParser(prog="python -m ltpgap.demo", description=__doc__)
    parser.add_argument("--out", default="out", help="folder to write into (default: out)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    db = out / "ltpgap.sqlite"
    db.unlink(missing_ok=True)  # each demo run starts a fresh history
    try:
        catalogue = step_catalogue()
        ics = load_ics()
        paths = step_init(catalogue, ics, out)
        # Round 1: the first submissions.
        step_fill(paths)
        results = step_recompute(paths)
        step_summaries(results, catalogue, ics)
        ics_workbook = step_merge(paths, catalogue, ics, out, db=db)
        # Round 2, a few months on: the same workbooks updated, merged into the same store.
        step_progress(paths, catalogue, round=2)
        step_recompute(paths, title="8. Recompute, round 2 (ltpgap recompute)")
        step_merge(paths, catalogue, ics, out, db=db, round=2)
        step_report(ics_workbook, catalogue, ics, out, db=db)
    except LtpgapError as exc:
        print_issues(exc.issues, title=f"demo stopped: {str(exc).splitlines()[0]}")
        return 1
    console.rule("Done")
    places = " ".join(str(p) for p in paths)
    console.print(
        f"Wrote into {out}/: the place and ICS-team workbooks "
        + ", ".join(p.name for p in paths)
        + f"; the merged ICS workbook {ics_workbook.name}; the history store {db.name}; and the "
        "board report (report.pptx, report.pdf, report.xlsx). The initiatives are ILLUSTRATIVE, "
        f"invented for this demo. Open {out / 'luton.xlsx'} in Excel or LibreOffice; try "
        f"`ltpgap check {places}` or `ltpgap check {ics_workbook}`. See the History sheet of "
        f"{ics_workbook.name}, or run `ltpgap history --db {db}`."
    )
    err_console.file.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
