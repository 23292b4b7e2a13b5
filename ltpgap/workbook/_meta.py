"""The hidden `_ltpgap` metadata sheet: which keys it holds and how its checksum is formed.

The checksum lets the reader tell whether somebody unhid the sheet and edited it: it is the
sha256 (hex) of the values of every key before `checksum`, in this order, joined by "\\n".
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

__all__ = ["LISTS_SHEET", "META_KEYS", "META_SHEET", "meta_checksum"]

META_SHEET = "_ltpgap"
LISTS_SHEET = "Lists"

#: Rows of the metadata sheet (column A keys, column B values), in this order.
META_KEYS: tuple[str, ...] = (
    "catalogue_id",
    "catalogue_version",
    "catalogue_hash",
    "unit_id",
    "scope",
    "unit_name",
    "ics_id",
    "template_version",
    "generated_at",
    "ltpgap_version",
    "checksum",
)


def meta_checksum(values: Mapping[str, object]) -> str:
    """sha256 hex of the values before `checksum`, as text, joined by newlines."""
    parts = ["" if values.get(k) is None else str(values.get(k)) for k in META_KEYS[:-1]]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
