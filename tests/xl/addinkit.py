"""Test users and an in-process HTTP client for the add-in tests (imports no xlwings).

Kept out of conftest.py so test modules import it by a name no other test folder uses.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

#: Tokens of the test users: a Luton editor, a Bedford editor, the ICS team and a reader.
TOKENS = {
    "luton": ("Luton planner", "luton-token-7f3a", ["luton"]),
    "bedford": ("Bedford planner", "bedford-token-91c2", ["bedford"]),
    "ics": (
        "BLMK ICS lead",
        "ics-token-5d10",
        ["blmk", "luton", "bedford", "central_beds", "milton_keynes"],
    ),
    "reader": ("Board reader", "reader-token-0b77", []),
}


def bearer(who: str) -> dict[str, str]:
    """The Authorization header of a test user."""
    return {"Authorization": f"Bearer {TOKENS[who][1]}"}


class Client:
    """A synchronous in-process HTTP client for an ASGI app (httpx over ASGITransport)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send one request through the app and return the response."""

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
                return await c.request(method, url, **kwargs)

        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """GET."""
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST."""
        return self.request("POST", url, **kwargs)
