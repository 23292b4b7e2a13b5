"""Render the pictures of the ICS workbook used in the README (ICS leads).

    make demo
    .venv/bin/python docs/images/render_ics_pictures.py out/ICS.xlsx docs/images

LibreOffice prints a copy of the demo's ICS workbook (the original is not touched) with only
one sheet visible: the ICS matrix with some columns hidden and the rows that have a result,
then the Snapshot grid. PDF → PNG with ``pdftoppm -png -r 80``, then cropped with Pillow.
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

DPI = 80
#: ICS matrix columns shown (the rest are hidden in the printed copy).
MATRIX_SHOWN = ("Para", "Title", "Must-do", "ICS RAG", "Score", "Rule", "Explanation")
MATRIX_ROWS = 16  # commitments shown: the first with a Green, Amber or Red ICS RAG
SNAPSHOT_AREAS = 3  # programme-area columns shown in the snapshot picture
SNAPSHOT_ROW_POINTS = 150  # each life-course row shows its first ~11 lines


def _matrix_copy(src: Path, dst: Path) -> None:
    wb = openpyxl.load_workbook(src)
    ws = wb["ICS matrix"]
    header = [c.value for c in ws[1]]
    places = header[7 : header.index("ICS RAG")]
    shown = {*MATRIX_SHOWN, *places}
    for j, name in enumerate(header, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].hidden = name not in shown
    rag_col = header.index("ICS RAG") + 1
    keep = 0
    for row in range(2, ws.max_row + 1):
        rag = ws.cell(row=row, column=rag_col).value
        wanted = rag in ("Green", "Amber", "Red") and keep < MATRIX_ROWS
        keep += wanted
        ws.row_dimensions[row].hidden = not wanted
    widths = {
        openpyxl.utils.get_column_letter(j): ws.column_dimensions[
            openpyxl.utils.get_column_letter(j)
        ].width
        for j, name in enumerate(header, start=1)
        if name in shown
    }
    fit_rows(ws, range(2, ws.max_row + 1), widths)
    _only(wb, "ICS matrix")
    ws.page_setup.fitToHeight = 1
    ws.oddFooter.center.text = ""
    wb.save(dst)


def _snapshot_copy(src: Path, dst: Path) -> None:
    wb = openpyxl.load_workbook(src)
    _only(wb, "Snapshot")
    ws = wb["Snapshot"]
    # Legible at 80 dpi: the life-course column and the first SNAPSHOT_AREAS programme areas,
    # printed at full width; the picture is the first page (header and the first stages).
    for j in range(2 + SNAPSHOT_AREAS, ws.max_column + 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(j)].hidden = True
    for row in range(2, ws.max_row + 1):  # each stage cut to its first lines, like a crop
        height = ws.row_dimensions[row].height or 15
        ws.row_dimensions[row].height = min(height, SNAPSHOT_ROW_POINTS)
    ws.page_setup.fitToHeight = 0
    ws.oddFooter.center.text = ""
    wb.save(dst)


def _only(wb: openpyxl.Workbook, sheet: str) -> None:
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == sheet else "hidden"
    wb.active = wb.sheetnames.index(sheet)


def _render(xlsx: Path, png: Path, work: Path) -> None:
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = work / f"{xlsx.stem}.pdf"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", str(pdf), str(work / "page")],
        check=True,
    )
    page = next(work.glob("page*.png"))
    image = Image.open(page).convert("RGB")
    background = Image.new("RGB", image.size, (255, 255, 255))
    box = ImageChops.difference(image, background).getbbox()
    if box:
        left, top, right, bottom = box
        image = image.crop((max(0, left - 8), max(0, top - 8), right + 8, bottom + 8))
    image.save(png, optimize=True)
    page.unlink()


def main(source: Path, folder: Path) -> None:
    """Write ics-matrix.png and ics-snapshot.png into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, copy in (("ics-matrix", _matrix_copy), ("ics-snapshot", _snapshot_copy)):
            printable = work / f"{name}.xlsx"
            copy(source, printable)
            _render(printable, folder / f"{name}.png", work)
            print(f"wrote {folder / name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
