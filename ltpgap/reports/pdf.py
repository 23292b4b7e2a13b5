"""The accessible PDF (WeasyPrint): tagged PDF/UA-1, title, en-GB, A4 with page numbers.

Nothing is fetched while rendering: the HTML inlines its images as ``data:`` URIs and the
URL fetcher refuses every other address, so a file name or workbook text that looks like a
link can never make the renderer reach out.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ltpgap.issues import LtpgapError, make_issue
from ltpgap.reports._html import report_html
from ltpgap.reports._output import atomic_output
from ltpgap.reports.model import ReportData

__all__ = ["local_only_fetcher", "render_pdf", "write_pdf"]


def _weasyprint() -> Any:
    try:
        import weasyprint
        import weasyprint.urls
    except (ImportError, OSError) as exc:  # OSError: Pango/HarfBuzz system libraries missing
        raise LtpgapError(
            [
                make_issue(
                    "report-unavailable",
                    f"the PDF needs WeasyPrint and its system libraries ({exc}). Install the "
                    "'reports' extra (pip install 'ltpgap[reports]') and, on Debian or Ubuntu, "
                    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b; or ask "
                    "for --format pptx,xlsx only.",
                )
            ]
        ) from None
    return weasyprint


def local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and refuses everything else.

    Refused addresses are kept in its ``refused`` list (the tests read it).
    """
    base = _weasyprint().urls.URLFetcher

    class LocalOnlyFetcher(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                self.refused.append(url)
                raise ValueError(f"refused to fetch {url!r}: reports load nothing from outside")
            return super().fetch(url, headers)

    return LocalOnlyFetcher()


def _options(weasyprint: Any) -> dict[str, Any]:
    """PDF/UA-1 where this WeasyPrint knows it (≥ 62), else plain tagged PDF."""
    variants = getattr(getattr(weasyprint, "pdf", None), "VARIANTS", {})
    if "pdf/ua-1" in variants:
        return {"pdf_variant": "pdf/ua-1"}
    return {"pdf_tags": True}


def render_pdf(html: str, target: Path, fetcher: Any | None = None) -> Any:
    """Render HTML to a tagged PDF at ``target``, fetching nothing from outside."""
    weasyprint = _weasyprint()
    fetcher = fetcher if fetcher is not None else local_only_fetcher()
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # font-subsetting chatter is not for planners
    try:
        doc = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
        doc.write_pdf(target, **_options(weasyprint))
    finally:
        quiet.setLevel(level)
    return fetcher


def write_pdf(data: ReportData, path: str | Path) -> Path:
    """Write the PDF report to ``path`` (replaced only once the whole file is written)."""
    target = Path(path)
    html = report_html(data)
    with atomic_output(target) as tmp:
        render_pdf(html, tmp)
    return target
