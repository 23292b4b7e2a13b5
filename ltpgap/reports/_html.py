"""The report as one accessible HTML document (for the PDF): headings, real tables, alt text.

Every text from a workbook goes through :func:`html.escape`; images are inlined as
``data:`` URIs, so rendering needs nothing from outside.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from html import escape

from ltpgap import __version__
from ltpgap.reports import _tables as tables
from ltpgap.reports._charts import chapter_png, chart_alt
from ltpgap.reports._css import css
from ltpgap.reports._grid import GridGeometry, GridRow, paginate_grid
from ltpgap.reports._tables import Table
from ltpgap.reports._text import pct, plain
from ltpgap.reports.model import ReportData, SnapshotItem

__all__ = ["report_html"]

_RAGS = {"Green", "Amber", "Red", "Not assessed", "N/A"}
GAPS_SHOWN = 20


def _e(value: object) -> str:
    return escape(plain(value), quote=True)


def _rag_class(word: str) -> str:
    return "rag-" + word.lower().replace(" ", "-").replace("/", "")


def table_html(table: Table, *, cls: str = "", caption: bool = True) -> str:
    """A table with a caption, ``<th scope="col">`` headers and ``<th scope="row">`` row heads."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in table.headers)
    body = []
    for row in table.rows:
        cells = []
        for j, value in enumerate(row):
            text = pct(value) if j in table.percent else plain(value)
            if j == 0:
                cells.append(f'<th scope="row">{_e(text)}</th>')
            elif j in table.rag and text in _RAGS:
                cells.append(f'<td class="rag {_rag_class(text)}">{_e(text)}</td>')
            else:
                num = " num" if isinstance(value, int | float) else ""
                cells.append(
                    f'<td class="{num.strip()}">{_e(text)}</td>' if num else f"<td>{_e(text)}</td>"
                )
        body.append("<tr>" + "".join(cells) + "</tr>")
    title = f"<caption>{_e(table.title)}</caption>" if caption else ""
    note = f'<p class="note">{_e(table.note)}</p>' if table.note else ""
    return (
        f'<table class="{cls}">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def _section(title: str, body: str, *, cls: str = "", lede: str = "") -> str:
    intro = f'<p class="lede">{_e(lede)}</p>' if lede else ""
    return f'<section class="{cls}"><h2>{_e(title)}</h2>{intro}{body}</section>'


def _cover(data: ReportData) -> str:
    rows = "".join(
        f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>'
        for k, v in tables.cover_table(data).rows
        if k != "Report"
    )
    return (
        f'<header class="cover"><p class="kicker">{_e(data.cover.organisation)}</p>'
        f'<h1>{_e(data.cover.title)}</h1><p class="subject">{_e(data.subject.name)}</p>'
        f'<table class="cover-table"><caption>About this report</caption><tbody>{rows}</tbody>'
        "</table></header>"
    )


def _summary(data: ReportData) -> str:
    items = "".join(f"<li>{_e(h)}</li>" for h in data.highlights)
    title = "ICS matrix highlights" if data.scope == "ics" else f"Summary: {data.subject.name}"
    body = f'<ul class="highlights">{items}</ul>' + table_html(tables.overview_table(data))
    lede = f"{data.rag_label} as at {data.as_at_text}. N/A is left out of the percentages."
    return _section(title, body, lede=lede)


def _figure(data: ReportData, unit: str) -> str:
    png = base64.b64encode(chapter_png(data, unit)).decode("ascii")
    alt = chart_alt(data, unit)
    caption = f"{data.unit_name(unit)}: RAG by LTP chapter (number of commitments)."
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{_e(alt)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _charts(data: ReportData) -> str:
    units = [data.subject.id, *[p.id for p in data.places if p.id != data.subject.id]]
    figures = "".join(_figure(data, u) for u in units)
    lede = (
        "Bars are split into Green, Amber (hatched /), Red (hatched ×) and Not assessed "
        "(dotted), each labelled with its count. The figures are in the summary workbook."
    )
    return _section("RAG by LTP chapter", figures, cls="charts", lede=lede)


def _item(item: SnapshotItem) -> str:
    return (
        f'<li><span class="badge {_rag_class(item.rag)}">{_e(item.rag)}</span> '
        f"{_e(item.label)}</li>"
    )


#: The grid on a landscape A4 page (inches), laid out by the same rules as the slides. The
#: estimates run tall by about a third (measured), so the capacity is above the 6.6 in the
#: page holds; a row that still did not fit would move whole to the next page.
PDF_GRID = GridGeometry(column=1.66, label=0.75, size=6.8, header_size=7.5, capacity=7.6)


def _grid_rows(rows: list[GridRow]) -> str:
    out = []
    for row in rows:
        tds = "".join(
            f'<td><ul class="items">{"".join(_item(i) for i in cell)}</ul></td>'
            if cell
            else "<td>—</td>"
            for cell in row.cells
        )
        out.append(f'<tr><th scope="row">{_e(row.label)}</th>{tds}</tr>')
    return "".join(out)


def _snapshot(data: ReportData) -> str:
    snap = data.snapshot
    head = '<th scope="col">NHS Long Term Plan</th>' + "".join(
        f'<th scope="col">{_e(c)}</th>' for c in snap.columns
    )
    pages = paginate_grid(snap, PDF_GRID)
    grids = []
    for i, rows in enumerate(pages, start=1):
        part = f" ({i} of {len(pages)})" if len(pages) > 1 else ""
        grids.append(
            f'<table class="grid"><caption>Programme areas by life-course stage, with the '
            f"{_e(snap.rag_label)} of each commitment{part}</caption>"
            f'<colgroup><col class="stage"><col span="{len(snap.columns)}"></colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{_grid_rows(rows)}</tbody></table>"
        )
    lede = (
        f"Each entry: its {snap.rag_label} in words, the LTP paragraph and title. "
        f"{snap.not_shown} commitments with no life-course stage are in the summary workbook."
    )
    title = "Where are we starting from? – A snapshot"
    return _section(title, "".join(grids), cls="landscape", lede=lede)


def _lists(data: ReportData) -> Iterable[str]:
    if data.scope == "ics" and not data.differ.empty:
        yield _section(
            "Where places differ",
            table_html(tables.differ_table(data), cls="small", caption=False),
            lede="Commitments Green in one place and Red in another.",
        )
    must = tables.must_dos_table(data)
    yield _section(
        "National must-dos at Red",
        table_html(must, caption=False) if must.rows else "<p>No national must-do is at Red.</p>",
    )
    gaps = tables.gaps_table(data)
    keep = ("Rank", "Place", "Para", "Title", "Lead", "Reason")
    idx = [gaps.column(h) for h in keep]
    short = Table(
        key="Gaps",
        title=gaps.title,
        headers=keep,
        rows=tuple(tuple(r[i] for i in idx) for r in gaps.rows),
    ).head(GAPS_SHOWN, "every gap is in the summary workbook (sheet Gaps)")
    yield _section(
        "Top gaps and their leads",
        table_html(short, cls="small", caption=False)
        if gaps.rows
        else "<p>No commitment is at Red.</p>",
        lede="Must-dos first, then the commitments at Red in most places.",
    )


def _movement(data: ReportData) -> str:
    title = "Movement since the last report"
    counts = tables.movement_counts_table(data)
    if counts is None or data.movement is None:
        body = (
            "<p>No previous report is on record, so there is no movement to show yet. Each "
            "<code>ltpgap merge</code> records a snapshot in the history store "
            "(<code>ltpgap.sqlite</code> beside the ICS workbook, or <code>--db</code>): after "
            "the next merge, the report shows what improved (▲), did not change (▶) or got "
            "worse (▼).</p>"
        )
        return _section(title, body)
    parts = [table_html(counts)]
    chapters = tables.movement_chapters_table(data)
    if chapters is not None:
        parts.append(table_html(chapters))
    trend = tables.trend_table(data)
    if trend is not None:
        parts.append(table_html(trend))
    changes = tables.movement_changes_table(data)
    if changes is not None and changes.rows:
        parts.append(table_html(changes, cls="small"))
    since = f" (previous snapshot {data.movement.previous})" if data.movement.previous else ""
    return _section(title, "".join(parts), lede=f"Arrows and words, never colour alone{since}.")


def _rules(data: ReportData) -> str:
    body = "".join(
        f"<h3>{_e(head)}</h3><ul>{''.join(f'<li>{_e(line)}</li>' for line in lines)}</ul>"
        for head, lines in data.rules
    )
    return _section("The rules in force", body)


def report_html(data: ReportData) -> str:
    """The whole report as an HTML document (lang en-GB, title, author, inline images)."""
    who = data.cover.organisation or data.subject.name
    sections = [
        _cover(data),
        _summary(data),
        _charts(data),
        _snapshot(data),
        *_lists(data),
        _movement(data),
        _rules(data),
    ]
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{_e(data.title)}</title>"
        f'<meta name="author" content="{_e(who)}">'
        f'<meta name="description" content="{_e(data.footer)}">'
        '<meta name="keywords" content="NHS Long Term Plan, gap analysis, RAG">'
        f'<meta name="generator" content="ltpgap {_e(__version__)}">'
        f"<style>{css(data.footer)}</style></head><body>" + "".join(sections) + "</body></html>"
    )
