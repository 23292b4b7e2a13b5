"""Fixtures for the Excel add-in tests: the remote engine, workbooks, payloads and the server.

The remote engine (``xw.Book(json=…)``) and xlwings Server are xlwings PRO. These tests run
them under the PolyForm Noncommercial key, which must be set before xlwings is imported; the
server's settings, likewise, before xlwings_server is imported. Both happen here, at import.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"  # the scripts register through xlwings.server
_STATE = Path(tempfile.mkdtemp(prefix="ltpgap-xl-"))
atexit.register(shutil.rmtree, _STATE, True)

from addinkit import TOKENS, Client  # noqa: E402  (no xlwings import)

from ltpgap.xl.tokens import token_hash  # noqa: E402  (no xlwings import)

_tokens = "tokens:\n" + "".join(
    f"  - name: {name}\n    sha256: {token_hash(token)}\n    units: [{', '.join(units)}]\n"
    for name, token, units in TOKENS.values()
)
(_STATE / "tokens.yaml").write_text(_tokens, encoding="utf-8")
os.environ["LTPGAP_TOKENS_FILE"] = str(_STATE / "tokens.yaml")
os.environ.pop("XLWINGS_AUTH_PROVIDERS", None)

import pytest  # noqa: E402
import xlwings as xw  # noqa: E402

if "remote" not in [e.name for e in xw.engines]:  # xlwings was imported before the key was set
    from xlwings.main import Engine
    from xlwings.pro import _xlremote

    xw.engines.add(Engine(impl=_xlremote.engine))

from ltpgap.catalogue import Catalogue  # noqa: E402
from ltpgap.ics import IcsConfig  # noqa: E402
from ltpgap.workbook import build_workbook, fill_inputs  # noqa: E402

FILLED: dict[str, dict[str, object]] = {}


def sample_inputs(catalogue: Catalogue, *, seed: int = 0) -> dict[str, dict[str, object]]:
    """Realistic, messy inputs for the place-level commitments (every §5 rule fires)."""
    from datetime import date

    variants: list[dict[str, object]] = [
        {
            "initiatives": "Smoking cessation service in all wards",
            "status": "In place",
            "coverage": "Full",
            "lead": "Dr A Khan",
        },
        {
            "initiatives": "Pilot in two PCNs",
            "status": "in progress",
            "coverage": "Partial",
            "expected_delivery": "2021/22",
            "lead": "J Smith",
        },
        {"status": "None", "evidence": '=HYPERLINK("http://x")'},
        {
            "initiatives": "Planned with the council",
            "status": "Planned",
            "expected_delivery": "Q4 30/31",
        },
        {"not_applicable": "Yes", "evidence": "Not relevant: no acute trust in the place"},
        {
            "initiatives": "Digital front door",
            "status": "In progress",
            "coverage": "Full",
            "expected_delivery": date(2020, 3, 31),
        },
        {"rag_override": "G", "override_reason": "Agreed at the board, 12/03/2020"},
        {"rag_override": "Amber", "initiatives": "+44 helpline", "status": "INPLACE"},
        {"initiatives": "Text only, no status"},
        {"status": "Maybe", "lead": "-"},
        {},
    ]
    place_level = [c.id for c in catalogue if c.level == "place"]
    out: dict[str, dict[str, object]] = {}
    for i, para in enumerate(place_level):
        values = variants[(i + seed) % len(variants)]
        if values:
            out[para] = dict(values)
    return out


@pytest.fixture(scope="session")
def books(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, blmk: IcsConfig
) -> dict[str, Path]:
    """BLMK workbooks from ltpgap init's builder: filled Luton, Bedford and ICS team, a blank."""
    out = tmp_path_factory.mktemp("books")
    paths: dict[str, Path] = {}
    for unit in ("luton", "bedford"):
        paths[unit] = build_workbook(catalogue, blmk, unit, out_path=out / f"{unit}.xlsx")
    paths["blank_luton"] = build_workbook(
        catalogue, blmk, "luton", out_path=out / "blank" / "luton.xlsx"
    )
    paths["blmk"] = build_workbook(catalogue, blmk, "blmk", scope="ics", out_path=out / "blmk.xlsx")
    fill_inputs(paths["luton"], sample_inputs(catalogue))
    fill_inputs(paths["bedford"], sample_inputs(catalogue, seed=3))
    ics_rows = [c.id for c in catalogue if c.level == "ics"]
    fill_inputs(
        paths["blmk"], {p: {"status": "In place", "coverage": "Full"} for p in ics_rows[::2]}
    )
    return paths


@pytest.fixture(scope="session")
def server_app() -> tuple[Any, Any]:
    """The real xlwings Server app with ltpgap's scripts behind the guard, and its runtime."""
    from ltpgap.xl import runtime
    from ltpgap.xl.server import ServerConfig, create_app

    app = create_app(ServerConfig.from_env(env_file=str(_STATE / "none.env")))
    return app, runtime.current()


@pytest.fixture
def client(server_app: tuple[Any, Any]) -> Client:
    """A client of the real server app (the server runtime set for this test)."""
    from ltpgap.xl import runtime

    app, served = server_app
    runtime.configure(served)
    return Client(app)


@pytest.fixture
def copy_book(tmp_path: Path) -> Callable[[Path], Path]:
    """A private copy of a session workbook, to change without disturbing other tests."""

    def make(path: Path) -> Path:
        target = tmp_path / path.name
        shutil.copy(path, target)
        return target

    return make


@pytest.fixture
def plain_runtime() -> Iterator[None]:
    """The plain runtime (no protection callbacks) for engine-only tests."""
    from ltpgap.xl import runtime

    before = runtime.configure(runtime.Runtime())
    yield
    runtime.configure(before)
