"""Saving a workbook without ever leaving a half-written file (SPEC §12)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["atomic_save", "backup_path"]


def backup_path(path: Path, now: datetime | None = None) -> Path:
    """``NAME.YYYYmmdd-HHMMSS.bak.xlsx`` beside the file; ``-2``, ``-3``… if that exists."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{stamp}.bak{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{stamp}-{n}.bak{path.suffix}")
        n += 1
    return candidate


def _copy_mode(original: Path, tmp: Path) -> None:
    # mkstemp makes the file private (0600); give it the original's mode or the usual default.
    if original.exists():
        shutil.copymode(original, tmp)
    else:
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)


def atomic_save(
    workbook: Any, path: Path, *, backup: bool = False, now: datetime | None = None
) -> Path | None:
    """Save an openpyxl workbook to a temporary file in the same folder, then replace `path`.

    With ``backup=True`` the existing file is first copied to a timestamped backup, whose path
    is returned. If anything fails, the original file is left exactly as it was.
    """
    path = Path(path)
    saved: Path | None = None
    if backup and path.exists():
        saved = backup_path(path, now)
        shutil.copy2(path, saved)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp.xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        workbook.save(tmp)
        _copy_mode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return saved
