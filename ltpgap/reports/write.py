"""Render one :class:`ReportData` in the formats asked for, into one folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ltpgap.issues import LtpgapError, make_issue
from ltpgap.reports.model import ReportData

__all__ = ["FORMATS", "Progress", "check_formats", "write_report"]

#: The output formats, in the order they are written.
FORMATS: tuple[str, ...] = ("pptx", "pdf", "xlsx")


def _writer(fmt: str) -> Callable[[ReportData, Path], Path]:
    if fmt == "pptx":
        from ltpgap.reports.pptx import write_pptx

        return write_pptx
    if fmt == "pdf":
        from ltpgap.reports.pdf import write_pdf

        return write_pdf
    from ltpgap.reports.xlsx import write_xlsx

    return write_xlsx


def check_formats(formats: Sequence[str]) -> None:
    """Raise LtpgapError before anything is written if a format's libraries are missing."""
    for fmt in formats:
        try:
            _writer(fmt)
        except ImportError as exc:
            raise LtpgapError(
                [
                    make_issue(
                        "report-unavailable",
                        f"the {fmt} report needs {exc.name or 'a library'}, which is not "
                        "installed; install the 'reports' extra: pip install 'ltpgap[reports]'.",
                    )
                ]
            ) from None
        if fmt == "pdf":
            from ltpgap.reports.pdf import _weasyprint

            _weasyprint()


#: Told of each file as it is started (``done`` False) and as it is written (True).
Progress = Callable[[Path, bool], None]


def write_report(
    data: ReportData,
    out: str | Path,
    formats: Sequence[str] = FORMATS,
    *,
    stem: str = "report",
    progress: Progress | None = None,
) -> list[Path]:
    """Write ``<out>/<stem>.<fmt>`` for each format; return the paths written, in order.

    ``progress`` hears of each file before and after it is written: the PDF of a national
    roll-up takes a while, and a report writer should see which file is under way.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report formats {unknown}; use {', '.join(FORMATS)}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in dict.fromkeys(formats):
        path = folder / f"{stem}.{fmt}"
        if progress is not None:
            progress(path, False)
        written.append(_writer(fmt)(data, path))
        if progress is not None:
            progress(written[-1], True)
    return written
