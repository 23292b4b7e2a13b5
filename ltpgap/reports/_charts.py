"""Chart data shared by every format, and the PDF's charts drawn with matplotlib."""

from __future__ import annotations

from ltpgap.reports.model import CHAPTER_SHORT, CHART_RAGS, ReportData

__all__ = ["chapter_series", "chart_alt"]


def chapter_series(data: ReportData, unit: str) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Categories (chapters) and one series of counts per RAG in :data:`CHART_RAGS`."""
    part = data.by_chapter[data.by_chapter["unit"] == unit]
    chapters = [int(c) for c in part["chapter"]]
    categories = [CHAPTER_SHORT.get(c, f"Chapter {c}") for c in chapters]
    series = [(rag, [int(v) for v in part[rag]]) for rag in CHART_RAGS]
    return categories, series


def chart_alt(data: ReportData, unit: str) -> str:
    """Alt text stating every number the chart shows."""
    categories, series = chapter_series(data, unit)
    parts = []
    for i, category in enumerate(categories):
        counts = ", ".join(f"{rag} {values[i]}" for rag, values in series)
        parts.append(f"chapter {category}: {counts}")
    return (
        f"Stacked bar chart of {data.unit_name(unit)}'s RAG by NHS Long Term Plan chapter, "
        f"counting commitments (N/A not shown). " + "; ".join(parts) + "."
    )


#: Hatching per RAG, so the PDF charts never rely on colour alone (labels carry numbers).
HATCHES: dict[str, str] = {"Green": "", "Amber": "//", "Red": "xx", "Not assessed": ".."}
_EDGES = {"Green": "#006747", "Amber": "#9A5A00", "Red": "#8A1A12", "Not assessed": "#768692"}


def _sans() -> list[str]:
    from matplotlib import font_manager

    found = []
    for family in ("Arial", "Liberation Sans", "DejaVu Sans"):
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        found.append(family)
    return found or ["sans-serif"]


def chapter_png(data: ReportData, unit: str, *, width_in: float = 7.0) -> bytes:
    """A stacked bar chart (PNG, 150 dpi) of one unit's RAG by chapter, hatched and labelled."""
    import io

    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ltpgap.schema import RAG_COLOURS

    categories, series = chapter_series(data, unit)
    with mpl.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": _sans(), "hatch.linewidth": 0.6}
    ):
        fig = Figure(figsize=(width_in, 0.42 * len(categories) + 1.1), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        left = [0] * len(categories)
        for rag, values in series:
            fill, text = RAG_COLOURS[rag]
            bars = ax.barh(
                categories,
                values,
                left=left,
                color=f"#{fill}",
                edgecolor=_EDGES[rag],
                hatch=HATCHES[rag],
                linewidth=0.6,
                label=rag,
            )
            labels = [str(v) if v else "" for v in values]
            ax.bar_label(
                bars,
                labels=labels,
                label_type="center",
                color=f"#{text}",
                fontsize=8,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "fc": f"#{fill}", "ec": "none"},
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.invert_yaxis()
        ax.set_title(data.unit_name(unit), fontsize=11, fontweight="bold", loc="left", pad=24)
        ax.set_xlabel("Number of commitments (N/A not shown)", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(axis="x", color="#D8DDE0", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(ncols=4, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
