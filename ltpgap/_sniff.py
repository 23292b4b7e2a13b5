"""What kind of file is this, from its first bytes, before any parser sees it.

Only signatures and a bounded read: an `.xlsx` is a zip; an OLE compound document (magic
D0CF11E0A1B11AE1) is either a legacy `.xls` or a password-encrypted workbook (Excel wraps an
encrypted `.xlsx` in an OLE container holding `EncryptionInfo` and `EncryptedPackage`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO, Literal

from ltpgap.issues import Issue, Severity, Where, make_issue

__all__ = ["FileKind", "LockFile", "lock_file", "open_in_excel", "sniff", "zip_entry_count"]

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_NAMES = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_XLS_NAMES = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_CHUNK = 1 << 20
#: Files that sit beside the workbooks (ltpgap's own outputs among them), by signature.
_OTHER_FILES = (
    (b"%PDF-", "a PDF document"),
    (b"SQLite format 3\x00", "a SQLite database (such as the history store, ltpgap.sqlite)"),
)
#: Names a workbook goes by; a file with one of them that is something else was renamed.
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", "")

Kind = Literal["zip", "empty", "encrypted", "xls", "ole", "html", "xml", "text", "binary", "lock"]
#: Excel keeps '~$name.xlsx' beside a workbook while it is open: a few hundred bytes (165 in
#: practice), the user's name first. Not a workbook, whatever its name says.
LOCK_PREFIX = "~$"
_LOCK_MAX_BYTES = 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class FileKind:
    """The kind of file found and, when it is not an .xlsx, how to say so to a planner."""

    kind: Kind
    advice: str = ""
    #: What the file is, when its signature says (a PDF document, a SQLite database).
    what: str = ""


@dataclass(frozen=True, slots=True)
class LockFile:
    """The lock file of an open workbook: the workbook's name and who has it open ('' unknown)."""

    workbook: str
    owner: str

    @property
    def _by(self) -> str:
        return f" (by {self.owner})" if self.owner else ""

    def describe(self) -> str:
        """'the lock file Excel keeps while bedford.xlsx is open (by Jane Smith)'."""
        return f"the lock file Excel keeps while {self.workbook} is open{self._by}"

    def open_warning(self, path: Path, effect: str) -> Issue:
        """'bedford.xlsx is open in Excel (by Jane Smith): ``effect``', a workbook-open
        warning located at the workbook."""
        return make_issue(
            "workbook-open",
            f"{path.name} is open in Excel{self._by}: {effect}",
            where=Where(file=str(path)),
            severity=Severity.WARNING,
        )

    def replaced_warning(self, path: Path, see: str, old: str, after: str = "") -> Issue:
        """The workbook was replaced on disk while Excel has it open (where the system lets a
        command do that: not Windows): Excel still shows, and would save back, ``old``."""
        return self.open_warning(
            path,
            f"close it there without saving and open it again to see {see} (saving it from "
            f"Excel would put back {old}){after}.",
        )


def _lock_owner(head: bytes) -> str:
    """The user an Office lock file names (a length byte, then the name), '' if unreadable."""
    n = head[0] if head else 0
    raw = head[1 : 1 + n]
    if not n or len(raw) < n:
        return ""
    name = raw.decode("cp1252", errors="replace").strip()
    return name if name.isprintable() and "\ufffd" not in name else ""


def _as_lock(name: str, head: bytes) -> LockFile | None:
    base = PurePath(name).name
    if not base.startswith(LOCK_PREFIX) or len(head) > _LOCK_MAX_BYTES:
        return None
    if head.startswith(ZIP_MAGICS) or head.startswith(OLE_MAGIC):
        return None
    return LockFile(workbook=base.removeprefix(LOCK_PREFIX), owner=_lock_owner(head))


def lock_file(path: Path) -> LockFile | None:
    """The lock file Excel keeps beside an open workbook ('~$bedford.xlsx'), else ``None``.

    Reads nothing unless the name starts with '~$', then at most a kilobyte.
    """
    if not path.name.startswith(LOCK_PREFIX):
        return None
    try:
        with path.open("rb") as f:
            return _as_lock(path.name, f.read(_LOCK_MAX_BYTES + 1))
    except OSError:
        return None


def open_in_excel(path: Path) -> LockFile | None:
    """Who has this workbook open, from the lock file Excel keeps beside it while it is open
    ('~$luton.xlsx' beside luton.xlsx), else ``None``. One failed open when it is closed."""
    return lock_file(path.with_name(LOCK_PREFIX + path.name))


def _it_is(what: str, suffix: str) -> str:
    """'it is CSV text renamed .xlsx' when the name says workbook, else 'it is CSV text, not an
    Excel .xlsx workbook' (a file called .csv was not renamed)."""
    if suffix in _WORKBOOK_SUFFIXES:
        return f"it is {what} renamed {suffix or '.xlsx'}"
    return f"it is {what}, not an Excel .xlsx workbook"


def _ole_kind(f: BinaryIO, suffix: str) -> FileKind:
    """Tell an encrypted workbook from a legacy .xls by the stream names in the OLE directory."""
    f.seek(0)
    seen_xls = False
    tail = b""
    while chunk := f.read(_CHUNK):
        window = tail + chunk
        if any(name in window for name in _ENCRYPTED_NAMES):
            return FileKind(
                kind="encrypted",
                advice="it is protected with a password to open (encrypted). Open it in Excel, "
                "clear the password (File › Info › Protect Workbook › Encrypt with Password), "
                "save it and try again; sheet protection without a password is fine",
            )
        seen_xls = seen_xls or any(name in window for name in _XLS_NAMES)
        tail = window[-64:]
    if seen_xls:
        return FileKind(
            kind="xls",
            advice=f"{_it_is('an Excel 97-2003 (.xls) file', suffix)}. Open it in Excel and "
            "use File › Save As › Excel Workbook (*.xlsx)",
        )
    return FileKind(
        kind="ole",
        advice="it is an OLE compound document (an old Office file, not an .xlsx workbook). "
        "Open it in Excel and save it as Excel Workbook (*.xlsx)",
    )


def _text_kind(head: bytes, suffix: str) -> FileKind:
    """Name the text formats people rename to .xlsx or pick by mistake: CSV, HTML, Excel 2003
    XML, YAML (the catalogue or the ICS file)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return FileKind(
            kind="html",
            advice=f"{_it_is('a web page (HTML)', suffix)} (some systems export one with an "
            "Excel name). Open it in Excel and save it as Excel Workbook (*.xlsx)",
        )
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return FileKind(
            kind="xml",
            advice="it is an XML file (perhaps an Excel 2003 XML spreadsheet), not an .xlsx. "
            "Open it in Excel and save it as Excel Workbook (*.xlsx)",
        )
    try:
        head.decode("utf-8")
        printable = True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 4 KB window is still text.
        printable = exc.start >= len(head) - 3
    if printable and b"\x00" not in head:
        if suffix in (".yaml", ".yml"):
            return FileKind(
                kind="text",
                advice="it is a YAML file (a catalogue or an ICS file), not an Excel workbook. "
                "Give a catalogue with --catalogue and an ICS file with --ics",
            )
        what = "CSV" if any(sep in head for sep in (b",", b";", b"\t")) else "plain"
        return FileKind(
            kind="text",
            advice=f"{_it_is(f'{what} text', suffix)}. Open it in Excel and save it as "
            "Excel Workbook (*.xlsx)",
        )
    return FileKind(
        kind="binary",
        advice="it is not an Excel .xlsx workbook (an .xlsx file is a zip archive). Check you "
        "picked the right file, or open it in Excel and save it as Excel Workbook (*.xlsx)",
    )


def sniff(f: BinaryIO, name: str = "") -> FileKind:
    """Classify an open binary file from its signature; reads at most the file once, bounded.

    ``name`` (the file's name, when known) only shapes the advice: a CSV file called .csv was
    not "renamed .xlsx", and a .yaml file was meant for --catalogue or --ics.
    """
    suffix = PurePath(name).suffix.lower() if name else ""
    f.seek(0)
    head = f.read(4096)
    if not head:
        return FileKind(
            kind="empty",
            advice="the file is empty (0 bytes); it was probably not "
            "saved completely. Save the workbook again from Excel",
        )
    if head.startswith(ZIP_MAGICS):
        return FileKind(kind="zip")
    if (lock := _as_lock(name, head)) is not None:
        return FileKind(
            kind="lock",
            advice=f"it is {lock.describe()}, not a workbook. Leave it out: Excel deletes "
            "it when the workbook is closed",
            what=lock.describe(),
        )
    if head.startswith(OLE_MAGIC):
        return _ole_kind(f, suffix)
    for magic, what in _OTHER_FILES:
        if head.startswith(magic):
            return FileKind(
                kind="binary",
                advice=f"it is {what}, not an Excel workbook. Check you picked the right file",
                what=what,
            )
    return _text_kind(head, suffix)


def zip_entry_count(f: BinaryIO, size: int) -> int | None:
    """At most how many entries ``zipfile`` would load, from the end-of-central-directory record.

    ``zipfile.ZipFile`` builds an object per directory record up front, so a hostile archive
    with millions of entries is refused here first. The count stated in the record can lie, so
    the directory's size bounds it too (a record is at least 46 bytes). ``None`` when no end
    record is found (not a zip, or truncated).
    """
    tail_len = min(size, 65_536 + 22)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    count, cd_size = struct.unpack_from("<HI", tail, at + 10)
    if count == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = tail.rfind(b"PK\x06\x07", 0, at)  # zip64 end-of-central-directory locator
        if loc < 0:
            return None
        (offset,) = struct.unpack_from("<Q", tail, loc + 8)
        if offset + 56 > size:
            return None
        f.seek(offset)
        record = f.read(56)
        if not record.startswith(b"PK\x06\x06"):
            return None
        count, cd_size = struct.unpack_from("<QQ", record, 32)
    return max(int(count), int(cd_size) // 46)
