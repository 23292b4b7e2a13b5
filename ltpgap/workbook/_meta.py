"""The hidden `_ltpgap` metadata sheet's keys and checksum (defined in :mod:`ltpgap.layout`)."""

from __future__ import annotations

from ltpgap.layout import LISTS_SHEET, META_KEYS, META_SHEET, meta_checksum

__all__ = ["LISTS_SHEET", "META_KEYS", "META_SHEET", "meta_checksum"]
