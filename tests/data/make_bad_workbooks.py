"""Write every bad-input workbook of issue 4 into a folder, to try them by hand.

    .venv/bin/python tests/data/make_bad_workbooks.py out/bad
    .venv/bin/ltpgap check out/bad/*/*.xlsx

Each file sits in a folder named after what it reproduces (``place-reordered-rows/``,
``hostile-zip-bomb/`` …); the generators are the test suite's (``tests/workbook/_fixtures.py``),
so nothing big is committed. The hostile ones are safe to keep: ltpgap refuses them unread.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workbook"))

import _fixtures as fx

from ltpgap.catalogue import load_catalogue
from ltpgap.ics import load_ics

PLACE = [
    fx.place_reordered_rows, fx.place_deleted_row, fx.place_inserted_row,
    fx.place_extra_column, fx.place_renamed_sheet, fx.place_moved_table,
    fx.place_para_as_number, fx.place_retyped_paras, fx.place_merged_inputs,
    fx.place_error_cells, fx.metadata_edited, fx.metadata_missing, fx.renamed_file,
    fx.hostile_dtd, fx.hostile_zip_bomb, fx.hostile_far_cell, fx.hostile_huge_cell,
    fx.long_shared_string, fx.lying_sizes,
]  # fmt: skip
NOT_XLSX = [fx.xls_renamed, fx.csv_renamed, fx.encrypted, fx.empty]


def main(out: Path) -> list[Path]:
    """Write the filled base workbook and every bad variant under ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        base = fx.fill(fx.build_place(Path(tmp), load_catalogue(), load_ics()), fx.SAMPLE)
        written = [fx.renamed_file(base, out / "place-filled", "bedford.xlsx")]
        for make in PLACE:
            written.append(make(base, out / make.__name__.replace("_", "-")))
    for make_plain in NOT_XLSX:
        written.append(make_plain(out / make_plain.__name__.replace("_", "-")))
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/bad-workbooks")):
        print(path)
