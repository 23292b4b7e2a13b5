"""Personal tokens for the add-in server, stored as sha256 hashes (no xlwings import).

See :mod:`ltpgap.xl.auth` for the file format and how the server uses it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from ltpgap._yaml import read_yaml

__all__ = ["TokenEntry", "load_tokens", "new_token", "token_hash"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenEntry:
    """One token holder: a name, the token's sha256 and the units they may change."""

    name: str
    sha256: str
    units: tuple[str, ...]


def token_hash(token: str) -> str:
    """The sha256 hex of a token, as stored in the tokens file."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token and its hash (hand the first out, store the second)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


_CACHE: dict[str, tuple[float, tuple[TokenEntry, ...]]] = {}


def load_tokens(path: str | Path) -> tuple[TokenEntry, ...]:
    """The entries of a tokens file (re-read when the file changes)."""
    path = Path(path)
    stamp = path.stat().st_mtime
    hit = _CACHE.get(str(path))
    if hit and hit[0] == stamp:
        return hit[1]
    data = read_yaml(path)
    entries = []
    for item in (data or {}).get("tokens") or []:
        units = item.get("units") or item.get("places") or []
        entries.append(
            TokenEntry(
                name=str(item.get("name", "")),
                sha256=str(item.get("sha256", "")).lower(),
                units=tuple(str(u) for u in units),
            )
        )
    _CACHE[str(path)] = (stamp, tuple(entries))
    return tuple(entries)
