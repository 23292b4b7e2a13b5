"""Render the pictures of the board report used in the README (board report writer).

    make demo
    .venv/bin/python docs/images/render_report_pictures.py out docs/images

LibreOffice converts the demo deck (out/report.pptx) to PDF, as a reader without PowerPoint
would see it; pdftoppm turns two of its slides, and the first page of out/report.pdf, into PNGs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: (picture, source, page, dpi). Slides at 80 dpi keep the snapshot grid's text legible.
PICTURES = (
    ("report-slide-charts.png", "deck", 4, 80),
    ("report-slide-snapshot.png", "deck", 6, 80),
    ("report-pdf-page.png", "pdf", 1, 60),
)


def _png(pdf: Path, page: int, dpi: int, target: Path) -> None:
    stem = target.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-singlefile",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            str(stem),
        ],
        check=True,
    )


def main(out: Path, images: Path) -> None:
    """Write the three pictures into ``images``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to render the slides")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(out / "report.pptx"),
            ],
            check=True,
            capture_output=True,
        )
        sources = {"deck": Path(tmp) / "report.pdf", "pdf": out / "report.pdf"}
        for name, source, page, dpi in PICTURES:
            _png(sources[source], page, dpi, images / name)
            print(f"wrote {images / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
