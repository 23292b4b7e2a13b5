"""The ``ltpgap_token`` auth provider for xlwings Server: personal tokens, stored hashed.

The tokens file (``LTPGAP_TOKENS_FILE``, YAML) names who holds each token and which units
(place ids, or the ICS id for the ICS team) they may change; only the sha256 of each token is
stored, so the file itself grants nothing if it leaks::

    tokens:
      - name: Luton planner
        sha256: 5e8f…            # ltpgap.xl.auth.token_hash("the token handed out")
        units: [luton]

The token reaches the server in the ``Authorization`` header (``Bearer <token>``). For Entra ID
single sign-on use xlwings Server's ``entraid`` provider instead; its app roles
(``ltpgap.edit.luton``) give the same rights (README, "The Excel add-in").
"""

from __future__ import annotations

import hmac
import os
from typing import TYPE_CHECKING, Any

from ltpgap.issues import LtpgapError
from ltpgap.xl.rights import DEFAULT_ROLE_PREFIX
from ltpgap.xl.tokens import TokenEntry, load_tokens, new_token, token_hash

if TYPE_CHECKING:
    from fastapi import HTTPException

__all__ = ["TokenEntry", "load_tokens", "new_token", "token_hash", "validate_token"]

TOKENS_ENV = "LTPGAP_TOKENS_FILE"
ROLE_PREFIX_ENV = "LTPGAP_ROLE_PREFIX"


def _refuse(detail: str) -> HTTPException:
    from fastapi import HTTPException, status

    return HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail=detail)


async def validate_token(token_string: str) -> Any:
    """xlwings Server auth provider hook: the user a ``Bearer`` token belongs to, or 401.

    xlwings Server is imported here, not at the top: its settings are read when it is first
    imported, so merely importing this module (e.g. for :func:`token_hash`) must not do it.
    """
    from xlwings_server.models import User

    token = token_string.strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token:
        raise _refuse(
            "Sign in first: no token was sent. Paste the token your ICS lead gave you into "
            "the ltpgap task pane (Your token), then press the button again."
        )
    path = os.environ.get(TOKENS_ENV)
    if not path:
        raise _refuse("The server has no tokens file (LTPGAP_TOKENS_FILE); ask its administrator.")
    try:
        entries = load_tokens(path)
    except (OSError, LtpgapError):
        raise _refuse("The server's tokens file cannot be read; ask its administrator.") from None
    digest = token_hash(token)
    prefix = os.environ.get(ROLE_PREFIX_ENV, DEFAULT_ROLE_PREFIX)
    for entry in entries:
        if hmac.compare_digest(entry.sha256, digest):
            return User(
                id=f"token:{entry.sha256[:12]}",
                name=entry.name or "token holder",
                roles=[f"{prefix}{unit}" for unit in entry.units],
            )
    raise _refuse("This token is not recognised (mistyped, or withdrawn). Ask your ICS lead.")
