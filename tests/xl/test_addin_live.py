"""`ltpgap serve` for real: uvicorn on 127.0.0.1, a free port, started and stopped here."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from addinkit import bearer
from officejs import payload_from_xlsx

from ltpgap.xl.scripts import PLACE_SHEETS

STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running `ltpgap serve`; the process is stopped afterwards."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "DOTENV"))}
    env |= {
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "LTPGAP_TOKENS_FILE": os.environ["LTPGAP_TOKENS_FILE"],
        "LTPGAP_MAX_BODY_BYTES": str(2 * 1024 * 1024),
    }
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ltpgap", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                raise AssertionError((folder / "serve.log").read_text())
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("ltpgap serve did not start in time")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


def test_live_recompute(live: str, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=PLACE_SHEETS)
    url = live + "/xlwings/custom-scripts-call/recompute"
    reply = httpx.post(url, json=payload, headers=bearer("luton"), timeout=60)
    assert reply.status_code == 200, reply.text
    assert reply.json()["actions"][0]["func"] == "runMacro"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "server" not in reply.headers  # uvicorn's banner is off


def test_live_refusals(live: str, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=PLACE_SHEETS)
    url = live + "/xlwings/custom-scripts-call/"
    assert httpx.post(url + "recompute", json=payload, timeout=30).status_code == 401
    assert (
        httpx.post(url + "eval", json=payload, headers=bearer("luton"), timeout=30).status_code
        == 404
    )
    bedford = payload_from_xlsx(books["bedford"], include=PLACE_SHEETS)
    assert (
        httpx.post(url + "recompute", json=bedford, headers=bearer("luton"), timeout=30).status_code
        == 403
    )


def test_live_streamed_oversize(live: str) -> None:
    """A chunked upload without Content-Length is cut off at the limit (2 MB here)."""

    def body() -> Iterator[bytes]:
        for _ in range(64):
            yield b" " * 65536  # 4 MB in all

    reply = httpx.post(
        live + "/xlwings/custom-scripts-call/recompute",
        content=body(),
        headers={**bearer("luton"), "content-type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 413


def test_live_manifest(live: str) -> None:
    manifest = httpx.get(live + "/manifest.xml", timeout=10).text
    assert "<ProviderName>ltpgap</ProviderName>" in manifest
    assert f"{live}/taskpane.html" in manifest
