"""`python -m ltpgap.demo --out DIR` (what `make demo` runs): the BLMK example, end to end.

A plain sequence of steps, each printing what it did; later stages (merge, report) add steps.
The place inputs are ILLUSTRATIVE (see :mod:`ltpgap.demo.illustrative`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.table import Table

from ltpgap.catalogue import Catalogue, check_catalogue
from ltpgap.cli._common import console, err_console, print_issues
from ltpgap.demo.illustrative import ILLUSTRATIVE, NOTICE
from ltpgap.ics import IcsConfig, load_ics
from ltpgap.issues import LtpgapError
from ltpgap.rag import summarise
from ltpgap.schema import RAG_VALUES
from ltpgap.workbook import (
    RecomputeResult,
    fill_inputs,
    init_workbooks,
    recompute_workbook,
)


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


def step_recompute(paths: list[Path]) -> list[RecomputeResult]:
    """4. Recompute RAG, Reason, Checks and Summary in each workbook (`ltpgap recompute`)."""
    console.rule("4. Recompute (ltpgap recompute)")
    done = []
    for path in paths:
        result = recompute_workbook(path, backup=False)
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        console.print(f"{path}: {counts}; {len(result.result.issues)} check(s) noted")
        done.append(result)
    return done


def _pct(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"  # NaN: nothing applicable


def step_summaries(results: list[RecomputeResult], catalogue: Catalogue, ics: IcsConfig) -> None:
    """5. Print each place's summary (`ltpgap summary`), then places side by side by area."""
    console.rule("5. Summaries (ltpgap summary)")
    overview = Table(title=f"{ics.name}: RAG per workbook (illustrative inputs)")
    for name in ("workbook", *RAG_VALUES, "% green", "% assessed", "must-dos at Red"):
        overview.add_column(name, justify="left" if name == "workbook" else "right")
    for done in results:
        frame = done.result.assessment.frame
        row = summarise(frame).iloc[0]
        red_must = frame[frame["must_do"] & (frame["rag"] == "Red")]["para"].tolist()
        label = done.path.stem + (" (ICS team)" if done.path.stem == ics.id else "")
        overview.add_row(
            label,
            *(str(int(row[r])) for r in RAG_VALUES),
            _pct(row["pct_green"]),
            _pct(row["pct_assessed"]),
            ", ".join(red_must) or "none",
        )
    console.print(overview)
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


def step_merge(paths: list[Path], catalogue: Catalogue, ics: IcsConfig, out: Path) -> Path:
    """6. Merge the four place workbooks and the ICS team's into ICS.xlsx (`ltpgap merge`)."""
    from ltpgap.cli.merge import report_merge
    from ltpgap.merge import merge_workbooks

    console.rule("6. ICS merge (ltpgap merge)")
    target = out / "ICS.xlsx"
    target.unlink(missing_ok=True)  # the place workbooks were made afresh: so is the merge
    report_merge(merge_workbooks(paths, out=target, catalogue=catalogue, ics=ics), quiet=False)
    return target


def step_report(workbook: Path, catalogue: Catalogue, ics: IcsConfig, out: Path) -> list[Path]:
    """7. The governing-body report from ICS.xlsx (`ltpgap report out/ICS.xlsx --out out`)."""
    from ltpgap.reports import Cover, load_report_data, write_report

    console.rule("7. Governing-body report (ltpgap report)")
    cover = Cover().updated(
        date="18 July 2019",
        purpose=f"{ics.report.purpose}. ILLUSTRATIVE: the inputs were invented for the ltpgap "
        "demo and are not the real plans of any organisation.",
    )
    data = load_report_data(workbook, ics, cover, catalogue=catalogue)
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
    try:
        catalogue = step_catalogue()
        ics = load_ics()
        paths = step_init(catalogue, ics, out)
        step_fill(paths)
        results = step_recompute(paths)
        step_summaries(results, catalogue, ics)
    except LtpgapError as exc:
        print_issues(exc.issues, title=f"demo stopped: {str(exc).splitlines()[0]}")
        return 1
    console.rule("Done")
    console.print(
        f"Wrote {len(paths)} workbooks into {out}/: "
        + ", ".join(p.name for p in paths)
        + ". The initiatives in them are ILLUSTRATIVE, invented for this demo. Open "
        f"{out / 'luton.xlsx'} in Excel or LibreOffice; try `ltpgap check {out}/*.xlsx`."
    )
    err_console.file.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
