"""LibreOffice headless for the tests that have an independent program open our files.

Kept out of conftest.py so test modules import it by a name no other test folder uses.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: LibreOffice CSV filter: comma, double quotes, UTF-8, every sheet to its own file (-1).
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def soffice() -> str | None:
    """Path of LibreOffice's soffice, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_convert(sources: list[Path], fmt: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert files with LibreOffice headless, in its own profile; return the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    exe = soffice()
    assert exe, "soffice not found"
    proc = subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    written = sorted(outdir.glob(f"*.{fmt.split(':')[0]}"))
    assert proc.returncode == 0 and written, (
        f"LibreOffice could not convert to {fmt}: rc={proc.returncode}\n"
        f"{proc.stdout}\n{proc.stderr}"
    )
    return written
