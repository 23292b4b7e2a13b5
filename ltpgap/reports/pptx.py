"""The governing-body deck (.pptx): native, editable charts and tables, alt text, footers.

Slides: cover; summary (ICS matrix highlights); RAG by chapter charts; where places differ;
the snapshot grid (seed 002 Appendix A); must-dos at Red; top gaps with leads; movement
since the last report; the rules in force. Every slide carries the data source and as-at date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pptx.util import Pt

from ltpgap.reports import _tables as tables
from ltpgap.reports._charts import chapter_series, chart_alt
from ltpgap.reports._deck import Deck
from ltpgap.reports._grid import GridGeometry, grid_table, paginate_grid
from ltpgap.reports._slides import (
    BLUE,
    BOTTOM,
    FULL,
    LEFT,
    TEXT,
    TOP,
    Box,
    Run,
    add_bar_chart,
    add_line_chart,
    add_table,
    add_text,
    bullet,
    fit_rows,
    rgb,
    set_alt,
)
from ltpgap.reports._text import shorten
from ltpgap.reports.model import ReportData

__all__ = ["write_pptx"]


def _cover(deck: Deck) -> None:
    data = deck.data
    slide = deck.slide(data.cover.title, data.subject.name)
    table = tables.cover_table(data)
    rows = tuple(r for r in table.rows if r[0] != "Report")
    body = tables.Table(key="Cover", title="Cover", headers=("Field", "Value"), rows=rows)
    shape = add_table(slide, body, Box(LEFT, TOP, FULL, 5.2), (2.6, 9.7), size=14)
    set_alt(shape, "Cover: " + "; ".join(f"{k}: {v}" for k, v in rows))


def _summary(deck: Deck) -> None:
    data = deck.data
    title = "ICS matrix highlights" if data.scope == "ics" else f"Summary: {data.subject.name}"
    slide = deck.slide(
        title,
        f"RAG counts of every commitment; {data.rag_label} as at "
        f"{data.as_at_text}. N/A is left out of the percentages.",
    )
    table = tables.overview_table(data)
    widths = (3.0, 0.9, 0.9, 0.8, 1.2, 0.7, 0.8, 1.0, 1.2, 1.3)
    add_table(slide, table, Box(LEFT, TOP, FULL, 2.0), widths, size=12)
    y = TOP + 0.45 * (len(table.rows) + 1) + 0.3
    add_text(slide, Box(LEFT, y, FULL, BOTTOM - y), data.highlights, size=15, bullets=True)


def _charts(deck: Deck) -> None:
    data = deck.data
    subject = data.subject
    if data.scope == "ics":
        slide = deck.slide(
            f"RAG by LTP chapter: {subject.name}",
            "ICS RAG: number of commitments in each chapter (N/A not shown).",
        )
        _chart(slide, data, subject.id, Box(LEFT, TOP, FULL, BOTTOM - TOP), 12)
        places = list(data.places)
        for start in range(0, len(places), 4):
            group = places[start : start + 4]
            count = (len(places) + 3) // 4
            suffix = f" ({start // 4 + 1} of {count})" if count > 1 else ""
            slide = deck.slide(
                f"RAG by LTP chapter: places{suffix}",
                "Each place's RAG: number of commitments per chapter (N/A not shown).",
            )
            w, h = (FULL - 0.3) / 2, (BOTTOM - TOP - 0.2) / 2
            for i, place in enumerate(group):
                box = Box(LEFT + (i % 2) * (w + 0.3), TOP + (i // 2) * (h + 0.2), w, h)
                _chart(slide, data, place.id, box, 9)
    else:
        slide = deck.slide(
            f"RAG by LTP chapter: {subject.name}",
            "Number of commitments in each chapter (N/A not shown).",
        )
        _chart(slide, data, subject.id, Box(LEFT, TOP, FULL, BOTTOM - TOP), 12)


def _chart(slide: Any, data: ReportData, unit: str, box: Box, size: float) -> None:
    categories, series = chapter_series(data, unit)
    add_bar_chart(
        slide,
        box,
        title=data.unit_name(unit),
        categories=categories,
        series=series,
        alt=chart_alt(data, unit),
        size=size,
    )


def _paged_table(
    deck: Deck,
    title: str,
    lede: str,
    table: tables.Table,
    widths: tuple[float, ...],
    *,
    size: float = 12,
    max_slides: int | None = None,
) -> None:
    """A table over as many slides as it needs (or the first ``max_slides``)."""
    rows = table.rows
    pages: list[tables.Table] = []
    while rows:
        part = tables.Table(**{**_fields(table), "rows": rows})
        n = max(1, fit_rows(part, widths, size, BOTTOM - TOP))
        pages.append(tables.Table(**{**_fields(table), "rows": rows[:n]}))
        rows = rows[n:]
    shown = pages[:max_slides] if max_slides else pages
    for i, page in enumerate(shown, start=1):
        suffix = f" ({i} of {len(shown)})" if len(shown) > 1 else ""
        slide = deck.slide(title + suffix, lede)
        add_table(
            slide,
            page,
            Box(LEFT, TOP, FULL, 1.0),
            widths,
            size=size,
            alt=f"Table: {table.title}{suffix}, {len(page.rows)} rows.",
        )


def _fields(table: tables.Table) -> dict[str, Any]:
    return {f: getattr(table, f) for f in table.__slots__}


def _differ(deck: Deck) -> None:
    data = deck.data
    if data.scope != "ics" or data.differ.empty:
        return
    table = tables.differ_table(data)
    rags = len(table.headers) - 3
    per = min(1.7, (FULL - 0.7 - 0.9 - 3.0) / rags)
    widths = (0.7, FULL - 0.7 - 0.9 - per * rags, 0.9, *([per] * rags))
    fits = fit_rows(table, widths, 10, BOTTOM - TOP)
    short = tables.Table(**{**_fields(table), "rows": table.rows[:fits]})
    lede = f"{len(table.rows)} commitments are Green in one place and Red in another"
    if fits < len(table.rows):
        lede += f"; the first {fits} are shown, all are in the summary workbook."
    _paged_table(
        deck,
        "Where places differ",
        lede if fits < len(table.rows) else lede + ".",
        short,
        widths,
        size=10,
        max_slides=1,
    )


def _snapshot(deck: Deck) -> None:
    data = deck.data
    snap = data.snapshot
    label_w = 1.15
    geo = GridGeometry(
        column=(FULL - label_w) / len(snap.columns),
        label=label_w,
        size=8,
        header_size=9,
        capacity=BOTTOM - TOP,
    )
    pages = paginate_grid(snap, geo)
    lede = (
        f"Each line: para, title and the {snap.rag_label} in words. "
        f"{snap.not_shown} commitments with no life-course stage are in the summary workbook."
    )
    for i, rows in enumerate(pages, start=1):
        suffix = f" ({i} of {len(pages)})" if len(pages) > 1 else ""
        slide = deck.slide(f"Where are we starting from? – A snapshot{suffix}", lede)
        grid_table(slide, data, rows, geo)


def _must_dos(deck: Deck) -> None:
    data = deck.data
    table = tables.must_dos_table(data)
    title = "National must-dos at Red"
    if not table.rows:
        slide = deck.slide(title, f"{data.rag_label} of every national must-do.")
        add_text(slide, Box(LEFT, TOP, FULL, 1), ["No national must-do is at Red."], size=18)
        return
    widths = (0.8, 5.2, 1.2, 1.6, 3.5) if data.scope == "ics" else (0.9, 7.5, 1.6, 2.3)
    lede = (
        f"{len(table.rows)} must-do{'s' if len(table.rows) != 1 else ''} with a national "
        f"timetable {'are' if len(table.rows) != 1 else 'is'} at Red ({data.rag_label})."
    )
    _paged_table(deck, title, lede, table, widths)


def _gaps(deck: Deck) -> None:
    data = deck.data
    full = tables.gaps_table(data)
    title = "Top gaps and their leads"
    if not full.rows:
        slide = deck.slide(title)
        add_text(slide, Box(LEFT, TOP, FULL, 1), ["No commitment is at Red."], size=18)
        return
    keep = ("Place", "Para", "Title", "Lead", "Reason")
    idx = [full.column(h) for h in keep]
    rows = tuple(
        tuple(
            shorten(str(row[i]), 150) if h == "Reason" else row[i]
            for h, i in zip(keep, idx, strict=True)
        )
        for row in full.rows
    )
    table = tables.Table(key="Gaps", title=full.title, headers=keep, rows=rows)
    widths = (2.0, 0.8, 3.3, 2.3, 3.93)
    n = fit_rows(table, widths, 11, BOTTOM - TOP)
    lede = (
        f"Must-dos first, then the commitments at Red in most places. "
        f"Top {min(n, len(rows))} of {len(rows)}; every gap is in the summary workbook."
    )
    _paged_table(deck, title, lede, table, widths, size=11, max_slides=1)


def _movement(deck: Deck) -> None:
    data = deck.data
    title = "Movement since the last report"
    counts = tables.movement_counts_table(data)
    if counts is None or data.movement is None:
        slide = deck.slide(title)
        add_text(
            slide,
            Box(LEFT, TOP, FULL, 2),
            [
                "No previous report is on record, so there is no movement to show yet.",
                "Each ltpgap merge records a snapshot in the history store (ltpgap.sqlite beside "
                "the ICS workbook, or --db): after the next merge, the report shows what "
                "improved (▲), did not change (▶) or got worse (▼) since this one.",
            ],
            size=16,
            space_after=10,
        )
        return
    since = f" (previous snapshot {data.movement.previous})" if data.movement.previous else ""
    slide = deck.slide(
        title,
        f"Commitments whose RAG improved, stayed or got worse{since}; "
        "arrows and words, never colour alone.",
    )
    widths: tuple[float, ...] = (3.0, 1.5, 1.6, 1.3, 1.0, 1.8, 1.0)
    add_table(slide, counts, Box(LEFT, TOP, FULL, 1.5), widths, size=12)
    trend = tables.trend_table(data)
    y = TOP + 0.45 * (len(counts.rows) + 1) + 0.3
    if trend is not None and len(trend.rows) > 1:
        if BOTTOM - y <= 2:  # no room under the counts: the trend gets a slide of its own
            lede = "One line per place and for the ICS; the figures are in the summary workbook."
            y, slide = TOP, deck.slide(trend.title, lede)
        add_line_chart(slide, Box(LEFT, y, FULL, BOTTOM - y), trend)
    chapters = tables.movement_chapters_table(data)
    if chapters is not None:
        _paged_table(
            deck,
            "Movement by LTP chapter",
            f"How the {data.rag_label} moved in each chapter since the last report.",
            chapters,
            (3.0, 1.5, 1.6, 1.3, 1.0, 1.8, 1.0),
            max_slides=1,
        )
    changes = tables.movement_changes_table(data)
    if changes is not None and changes.rows:
        widths = (2.4, 0.8, 4.4, 1.4, 1.4, 1.93)
        _paged_table(
            deck,
            "What moved since the last report",
            "Worse first, then improved; every movement is in the summary workbook.",
            changes,
            widths,
            size=11,
            max_slides=1,
        )


def _rules(deck: Deck) -> None:
    data = deck.data
    slide = deck.slide("The rules in force", "How ltpgap turned the workbook inputs into RAGs.")
    groups = data.rules
    width = (FULL - 0.4 * (len(groups) - 1)) / len(groups)
    for i, (head, lines) in enumerate(groups):
        box = Box(LEFT + i * (width + 0.4), TOP, width, BOTTOM - TOP)
        paras: list[Any] = [[Run(head, bold=True, colour=BLUE, size=15)]]
        shape = add_text(slide, box, paras, size=13, space_after=6)
        frame = shape.text_frame
        for line in lines:
            p = frame.add_paragraph()
            run = p.add_run()
            run.text = line
            run.font.size, run.font.name = Pt(12), "Arial"
            run.font.color.rgb = rgb(TEXT)
            p.space_after = Pt(5)
            bullet(p)


def write_pptx(data: ReportData, path: str | Path) -> Path:
    """Write the deck to ``path`` (replaced only once the whole file is written)."""
    deck = Deck(data)
    for section in (
        _cover,
        _summary,
        _charts,
        _differ,
        _snapshot,
        _must_dos,
        _gaps,
        _movement,
        _rules,
    ):
        section(deck)
    return deck.finish(Path(path))
