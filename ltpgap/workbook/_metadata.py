"""Identity from the hidden `_ltpgap` sheet: which place, scope and catalogue a workbook is.

The sheet's checksum (see :func:`ltpgap.layout.meta_checksum`) tells a hand edit from
ltpgap's own writing; a merge takes identity from here, never from the file name alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from ltpgap.issues import Issue, Where, make_issue
from ltpgap.layout import META_KEYS, META_SHEET, meta_checksum
from ltpgap.workbook._layout import fold

__all__ = ["Identity", "WorkbookMeta", "read_identity"]

Scope = Literal["place", "ics"]
Grid = list[list[object]]


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkbookMeta:
    """What the hidden metadata sheet records; ``intact`` says its checksum matched."""

    catalogue_id: str
    catalogue_version: str
    catalogue_hash: str
    unit_id: str
    scope: Literal["place", "ics"]
    unit_name: str
    ics_id: str
    template_version: str
    generated_at: str
    ltpgap_version: str
    intact: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """The metadata (if any), the unit id and scope to use, and what was wrong."""

    meta: WorkbookMeta | None
    unit_id: str
    scope: Scope | None  # None: unknown (no metadata) — the reader infers it from the rows
    issues: tuple[Issue, ...]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _find_sheet(
    sheets: Sequence[tuple[str, str]], grid_of: Callable[[str], Grid]
) -> tuple[str, str] | None:
    """(name, state) of the metadata sheet: by name, else a hidden sheet that looks like it."""
    for name, state in sheets:
        if name == META_SHEET:
            return name, state
    for name, state in sheets:
        if state != "visible":
            grid = grid_of(name)
            if grid and grid[0] and _text(grid[0][0]) == META_KEYS[0]:
                return name, state
    return None


def _meta(values: dict[str, str]) -> WorkbookMeta:
    scope = values.get("scope", "")
    known = scope in ("place", "ics")
    checks = all(k in values for k in META_KEYS) and values["checksum"] == meta_checksum(values)
    get = values.get
    return WorkbookMeta(
        catalogue_id=get("catalogue_id", ""),
        catalogue_version=get("catalogue_version", ""),
        catalogue_hash=get("catalogue_hash", ""),
        unit_id=get("unit_id", ""),
        scope=cast(Scope, scope) if known else "place",
        unit_name=get("unit_name", ""),
        ics_id=get("ics_id", ""),
        template_version=get("template_version", ""),
        generated_at=get("generated_at", ""),
        ltpgap_version=get("ltpgap_version", ""),
        intact=checks and known,
    )


# Where a file name's words break: between a lower-case letter and a capital ("LutonLTP"),
# before the last capital of a run ("LTPGaps"), and between letters and digits ("Luton2024").
_CAMEL = re.compile(
    r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])"
)
_WORD = re.compile(r"[0-9a-z]+")
#: What people glue onto a file name's last word ("Lutonv2", "BEDFORDfinal"): still that name.
_GLUED = re.compile(r"v\d*|rev\d*|final|draft|copy|new|old|latest|updated|amended")


def _mentions(stem: str, name: str) -> bool:
    """Whether a file stem names ``name`` (a place id or name) in whole words.

    Some run of the stem's words, joined, must spell the name in full: 'Bedford Borough v3'
    and 'bedford_borough' name Bedford, as 'CentralBeds' names central_beds; 'Bedfordshire'
    does not name Bedford, because its word is longer than the name. A version or draft word
    glued on ('Lutonv2', 'BEDFORDfinal') does not hide the name.
    """
    target = fold(name)
    if not target:
        return False
    words = _WORD.findall(_CAMEL.sub(" ", stem).casefold())
    for start in range(len(words)):
        run = ""
        for word in words[start:]:
            run += word
            if run == target or (run.startswith(target) and _GLUED.fullmatch(run[len(target) :])):
                return True
            if not target.startswith(run):
                break
    return False


def read_identity(
    file: str,
    sheets: Sequence[tuple[str, str]],
    grid_of: Callable[[str], Grid],
) -> Identity:
    """Read the metadata sheet and decide the unit id (metadata first, else the file stem)."""
    stem = Path(file).stem
    found = _find_sheet(sheets, grid_of)
    if found is None:
        return Identity(
            meta=None,
            unit_id=stem,
            scope=None,
            issues=(
                make_issue(
                    "no-metadata",
                    f"the hidden sheet '{META_SHEET}', which records the place and catalogue this "
                    f"workbook was made for, is missing; the place was taken from the file name "
                    f"('{stem}'). Copy the inputs into a fresh workbook from `ltpgap init` so a "
                    "merge can be sure whose workbook this is.",
                    where=Where(file=file),
                ),
            ),
        )
    name, state = found
    values: dict[str, str] = {}
    cells: dict[str, str] = {}
    for i, row in enumerate(grid_of(name), start=1):
        key = _text(row[0]) if row else ""
        if key and key not in values:
            values[key] = _text(row[1]) if len(row) > 1 else ""
            cells[key] = f"B{i}"
    meta = _meta(values)
    issues: list[Issue] = []
    problems = []
    if name != META_SHEET:
        problems.append(f"it was renamed '{name}'")
    if state == "visible":
        problems.append("it was unhidden")
    if not meta.intact:
        problems.append("its values no longer match their checksum (edited by hand)")
    if problems:
        issues.append(
            make_issue(
                "metadata-edited",
                f"the metadata sheet that records this workbook's identity has been changed: "
                f"{'; '.join(problems)}. ltpgap still uses it (place '{meta.unit_id or '?'}', "
                f"catalogue {meta.catalogue_id} {meta.catalogue_version}); if that is wrong, copy "
                "the inputs into a fresh workbook from `ltpgap init`. Hide the sheet again and "
                "do not edit it.",
                where=Where(file=file, sheet=name),
            )
        )
    unit_id = meta.unit_id or stem
    # Real files carry more than the place in their names ("LTP gaps - Luton v3 FINAL"):
    # only a name that does not mention the place at all may be another place's file.
    if meta.unit_id and not any(_mentions(stem, n) for n in (meta.unit_id, meta.unit_name)):
        issues.append(
            make_issue(
                "place-name-conflict",
                f"the file is named '{Path(file).name}' but its metadata says it is the workbook "
                f"of '{meta.unit_id}' ({meta.unit_name or meta.unit_id}); ltpgap uses the "
                f"metadata ('{meta.unit_id}'). If the file was copied from another place's "
                "workbook, start that place again from `ltpgap init`; otherwise rename the file "
                f"'{meta.unit_id}.xlsx'.",
                where=Where(file=file, sheet=name, cell=cells.get("unit_id")),
            )
        )
    return Identity(meta=meta, unit_id=unit_id, scope=meta.scope, issues=tuple(issues))
