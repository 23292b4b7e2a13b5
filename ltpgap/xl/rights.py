"""Who may change which workbook: write rights per place, from the authenticated identity.

The server authenticates each request (a token, or Entra ID) and records the caller's
:class:`Identity` for the request. Rights come only from that identity's roles, never from
anything inside the workbook: a workbook can say which place it belongs to, not who may edit it.
Desktop xlwings and xlwings Lite run in the planner's own Excel, so no identity is set there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = [
    "DEFAULT_ROLE_PREFIX",
    "Identity",
    "NotAllowed",
    "current_identity",
    "identity_from_roles",
    "require_write",
    "using_identity",
]

#: Role ``ltpgap.edit.luton`` lets its holder change Luton's workbook; ``ltpgap.edit.*`` any.
DEFAULT_ROLE_PREFIX = "ltpgap.edit."
_ALL = "*"


class NotAllowed(Exception):
    """The caller may not change this workbook (HTTP 403 on the server)."""

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True, kw_only=True)
class Identity:
    """An authenticated caller and the units (places, or the ICS team) they may change."""

    id: str
    name: str
    units: frozenset[str]

    def may_write(self, unit_id: str) -> bool:
        """True when this identity holds the edit role for the unit (or for every unit)."""
        return _ALL in self.units or unit_id in self.units


def identity_from_roles(
    *, id: str, name: str, roles: Iterable[str], prefix: str = DEFAULT_ROLE_PREFIX
) -> Identity:
    """The identity whose units are the roles starting with ``prefix`` (prefix removed)."""
    units = frozenset(r[len(prefix) :] for r in roles if r.startswith(prefix) and r != prefix)
    return Identity(id=id, name=name, units=units)


_CURRENT: ContextVar[Identity | None] = ContextVar("ltpgap_identity", default=None)
_REQUIRED: ContextVar[bool] = ContextVar("ltpgap_identity_required", default=False)


def current_identity() -> Identity | None:
    """The identity of the request being served, if any."""
    return _CURRENT.get()


@contextmanager
def using_identity(identity: Identity | None, *, required: bool = True) -> Iterator[None]:
    """Serve one request as ``identity``; with ``required`` a missing identity refuses writes."""
    token, req = _CURRENT.set(identity), _REQUIRED.set(required)
    try:
        yield
    finally:
        _CURRENT.reset(token)
        _REQUIRED.reset(req)


def require_write(unit_id: str, scope: str) -> None:
    """Raise :class:`NotAllowed` unless the current caller may change this unit's workbook."""
    identity = _CURRENT.get()
    if identity is None:
        if _REQUIRED.get():
            raise NotAllowed("Sign in first: this server needs an authenticated user.", status=401)
        return  # desktop or Lite: the planner's own Excel
    what = "the ICS team's workbook" if scope == "ics" else f"the workbook of '{unit_id}'"
    if not unit_id:
        raise NotAllowed(
            f"{identity.name} cannot change this workbook: it does not say which place it "
            "belongs to (its hidden _ltpgap sheet is missing or blank). Use the workbook "
            "ltpgap built for your place."
        )
    if not identity.may_write(unit_id):
        held = ", ".join(sorted(identity.units)) or "none"
        raise NotAllowed(
            f"{identity.name} may not change {what}: the edit rights held are for {held}. "
            "Open your own place's workbook, or ask the ICS lead for the edit role."
        )
