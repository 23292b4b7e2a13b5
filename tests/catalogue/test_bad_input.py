"""Each bad catalogue input: non-zero exit within 2 s, a located message, no traceback."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ltpgap.catalogue import check_catalogue

HEAD = """\
catalogue: {id: test, version: 1.0.0, title: Test catalogue, source: tests}
programme_areas:
  - {id: prevention, name: Healthy communities and prevention}
  - {id: enablers, name: System enablers}
life_course: [starting_well, living_well, ageing_well]
headline_metrics:
  - {id: HM01, name: Comprehensive ICS coverage}
commitments:
"""


def commitment(cid: str = '"2.9"', **fields: str) -> str:
    """One commitment block in YAML, with fields overridable as raw YAML text."""
    values = {
        "chapter": "2",
        "programme_area": "prevention",
        "title": "Tobacco treatment for inpatients",
        "commitment": "Every admitted smoker is offered treatment.",
        "deadline": '"2023/24"',
        "must_do": "false",
        "level": "place",
        "provenance": '{para_verified: true, source: "LTP ch2"}',
    } | fields
    body = "".join(f"    {k}: {v}\n" for k, v in values.items())
    return f"  - id: {cid}\n{body}"


def _write(tmp_path: Path, text: str | bytes, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def duplicate_id(tmp: Path) -> Path:
    return _write(tmp, HEAD + commitment() + commitment(title="Another title"))


def unknown_programme_area(tmp: Path) -> Path:
    return _write(tmp, HEAD + commitment(programme_area="dentistry"))


def chapter_out_of_range(tmp: Path) -> Path:
    return _write(tmp, HEAD + commitment('"9.1"', chapter="9"))


def unparseable_deadline(tmp: Path) -> Path:
    return _write(tmp, HEAD + commitment(deadline='"sometime soon"'))


def duplicate_yaml_key(tmp: Path) -> Path:
    return _write(tmp, HEAD + commitment() + "    title: Again\n")


def alias_bomb(tmp: Path) -> Path:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    return _write(tmp, "\n".join(lines) + "\n" + HEAD + commitment())


def merge_key_bomb(tmp: Path) -> Path:
    text = HEAD + commitment().replace("  - id:", "  - <<: {level: place}\n    id:", 1)
    return _write(tmp, text)


def deep_nesting(tmp: Path) -> Path:
    return _write(tmp, HEAD + commitment() + "extra: " + "[" * 1000 + "]" * 1000 + "\n")


def non_utf8(tmp: Path) -> Path:
    text = HEAD + commitment(title="Caf\xe9 caf\xe9")
    return _write(tmp, text.encode("latin-1"))


def a_workbook(tmp: Path) -> Path:
    """A workbook given where the catalogue goes (a zip, whatever its name)."""
    path = tmp / "commitments.yaml"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return path


#: The start of an OLE compound document (legacy .xls, or Excel's encrypted wrapper).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def an_old_excel_file(tmp: Path) -> Path:
    return _write(tmp, _OLE)


def an_xls_workbook(tmp: Path) -> Path:
    """An OLE file holding a Workbook stream (the directory names it, UTF-16)."""
    return _write(tmp, _OLE + "Workbook".encode("utf-16-le") + bytes(64))


def an_encrypted_workbook(tmp: Path) -> Path:
    """Excel's password-to-open wrapper: an OLE file with an EncryptedPackage stream."""
    return _write(tmp, _OLE + "EncryptedPackage".encode("utf-16-le") + bytes(64))


def a_pdf(tmp: Path) -> Path:
    """The board report picked for --catalogue by mistake (a PDF with a binary comment line)."""
    return _write(tmp, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n")


def a_sqlite_file(tmp: Path) -> Path:
    """The history store picked for --ics by mistake."""
    return _write(tmp, b"SQLite format 3\x00" + bytes(84) + b"\xf8\xff")


def fifty_megabytes(tmp: Path) -> Path:
    path = tmp / "huge.yaml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEAD + commitment())
        chunk = "# padding " + "x" * 1013 + "\n"
        for _ in range(50 * 1024):
            fh.write(chunk)
    return path


def id_as_bare_number(tmp: Path) -> Path:
    return _write(tmp, HEAD + commitment("3.10", chapter="3"))


Case = tuple[Callable[[Path], Path], str, str, int | None]

CASES: list[Case] = [
    # maker, code, words the message must contain, line expected (None: no line)
    (duplicate_id, "duplicate-id", "used twice", 18),
    (unknown_programme_area, "unknown-programme-area", "use one of", 11),
    (chapter_out_of_range, "chapter-out-of-range", "1 to 7", 10),
    (unparseable_deadline, "bad-deadline", "financial year", 14),
    (duplicate_yaml_key, "yaml-duplicate-key", "appears twice", 18),
    (alias_bomb, "yaml-alias", "not allowed", 1),
    (merge_key_bomb, "yaml-alias", "merge key", 9),
    (deep_nesting, "yaml-too-deep", "flatten", 18),
    (non_utf8, "not-utf8", "UTF-8", 12),
    (a_workbook, "not-yaml", "an Excel workbook", None),
    (an_old_excel_file, "not-yaml", "old-style Excel (.xls)", None),
    (an_xls_workbook, "not-yaml", "an old-style Excel (.xls) workbook", None),
    (an_encrypted_workbook, "not-yaml", "password-protected (encrypted) Excel workbook", None),
    (a_pdf, "not-yaml", "this is a PDF document, not a YAML", None),
    (a_sqlite_file, "not-yaml", "this is a SQLite database", None),
    (fifty_megabytes, "file-too-large", "limit", None),
    (id_as_bare_number, "id-not-string", 'id: "3.10"', 9),
]


@pytest.mark.parametrize(
    ("make", "code", "words", "line"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_loader_reports_each_bad_input(
    tmp_path: Path, make: Callable[[Path], Path], code: str, words: str, line: int | None
) -> None:
    path = make(tmp_path)
    catalogue, issues = check_catalogue(path)
    assert catalogue is None
    found = [i for i in issues if i.code == code]
    assert found, [str(i) for i in issues]
    assert words in found[0].message
    assert found[0].where.file == str(path)
    assert found[0].where.line == line


@pytest.mark.parametrize(
    ("make", "code", "words", "line"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_cli_check_fails_fast_and_clearly(
    tmp_path: Path, make: Callable[[Path], Path], code: str, words: str, line: int | None
) -> None:
    path = make(tmp_path)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "ltpgap", "catalogue", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode != 0
    assert elapsed < 2.0, f"took {elapsed:.2f}s"
    assert "Traceback" not in proc.stderr + proc.stdout
    assert code in proc.stderr
    location = f"{path}:{line}" if line is not None else str(path)
    assert location in proc.stderr


def test_every_error_is_reported_together(tmp_path: Path) -> None:
    text = (
        HEAD
        + commitment(programme_area="dentistry")
        + commitment('"2.10"', deadline='"never"')
        + commitment('"9.1"', chapter="9")
    )
    _, issues = check_catalogue(_write(tmp_path, text))
    codes = {i.code for i in issues}
    assert {"unknown-programme-area", "bad-deadline", "chapter-out-of-range"} <= codes
    assert {i.commitment for i in issues} >= {"2.9", "2.10", "9.1"}


def test_valid_minimal_catalogue_passes(tmp_path: Path) -> None:
    catalogue, issues = check_catalogue(_write(tmp_path, HEAD + commitment()))
    assert catalogue is not None and issues == []
    assert catalogue.ids == ("2.9",)
    assert catalogue.by_id["2.9"].due.isoformat() == "2024-03-31"
