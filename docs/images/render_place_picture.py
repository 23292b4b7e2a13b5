"""Render the picture of the Gap analysis sheet used in the README (place planners).

    make demo
    .venv/bin/python docs/images/render_place_picture.py \
        out/luton.xlsx docs/images/place-gap-analysis.png

LibreOffice prints a copy of the demo workbook (the original is not touched) with only the
Gap analysis sheet visible and some columns hidden so the page stays legible: PDF, then PNG
with pdftoppm, then cropped to the table with Pillow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from PIL import Image, ImageChops

from ltpgap.workbook._heights import fit_rows

#: Columns shown in the picture (the rest are hidden in the copy that is printed).
SHOWN = {"A", "E", "G", "J", "K", "L", "M", "Q", "R", "S", "T", "U"}
VISIBLE_ROWS = 22  # commitments shown
KEEP_NOT_ASSESSED = 2  # most blank rows are hidden so the picture shows every kind of result
DPI = 130


def _printable_copy(src: Path, dst: Path) -> None:
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        if ws.title != "Gap analysis":
            ws.sheet_state = "hidden"
    gap = wb["Gap analysis"]
    wb.active = wb.worksheets.index(gap)
    for letter in "ABCDEFGHIJKLMNOPQRSTU":
        gap.column_dimensions[letter].hidden = letter not in SHOWN
    shown, blanks, row = 0, 0, 2
    while shown < VISIBLE_ROWS and row <= gap.max_row:
        blank = gap[f"S{row}"].value == "Not assessed"
        blanks += blank
        if blank and blanks > KEEP_NOT_ASSESSED:
            gap.row_dimensions[row].hidden = True
        else:
            shown += 1
        row += 1
    widths = {k: gap.column_dimensions[k].width for k in SHOWN}
    fit_rows(gap, range(2, row), widths)  # heights for the columns shown, not the hidden ones
    gap.print_area = f"A1:U{row - 1}"
    gap.page_setup.fitToHeight = 1
    gap.oddFooter.center.text = ""
    wb.save(dst)


def _crop(png: Path, out: Path) -> None:
    image = Image.open(png).convert("RGB")
    background = Image.new("RGB", image.size, (255, 255, 255))
    box = ImageChops.difference(image, background).getbbox()
    if box:
        left, top, right, bottom = box
        image = image.crop((max(0, left - 8), max(0, top - 8), right + 8, bottom + 8))
    image.save(out, optimize=True)


def main(src: str, out: str) -> None:
    """Print `src` (a demo workbook) to the PNG `out`."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copy = work / "luton.xlsx"
        _printable_copy(Path(src), copy)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work / 'lo'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                str(copy),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(DPI),
                "-f",
                "1",
                "-l",
                "1",
                str(work / "luton.pdf"),
                str(work / "page"),
            ],
            check=True,
            timeout=120,
        )
        page = next(work.glob("page*.png"))
        _crop(page, Path(out))
        shutil.rmtree(work / "lo", ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
