"""Every action is a round trip inside Excel: recompute stays within 25, whatever the size."""

from __future__ import annotations

import json
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from addinkit import Client, bearer
from officejs import merged_workbook, payload_from_xlsx, place_payload, synthetic_catalogue

from ltpgap.ics import IcsConfig
from ltpgap.xl import operations
from ltpgap.xl.protection import OfficeJsProtection
from ltpgap.xl.scripts import RECOMPUTE_SHEETS

BUDGET = 25
SIZES = (50, 500, 5000)


@cache
def _catalogue(n: int) -> Any:
    return synthetic_catalogue(n)


def _actions(payload: dict[str, Any], run: Any) -> list[dict[str, Any]]:
    book = xw.Book(json=payload)
    try:
        run(book)
        return list(book.json()["actions"])
    finally:
        book.close()


def _place(n: int) -> list[dict[str, Any]]:
    cat = _catalogue(n)
    return _actions(
        place_payload(cat),
        lambda b: operations.recompute(b, catalogue=cat, protection=OfficeJsProtection()),
    )


_PAYLOADS: dict[int, str] = {}


def _ics_payload(n: int, blmk: IcsConfig) -> str:
    if n in _PAYLOADS:
        return _PAYLOADS[n]
    folder = Path(tempfile.mkdtemp(prefix="ltpgap-budget-"))
    path = merged_workbook(_catalogue(n), blmk, folder / "ICS.xlsx", every=1 if n <= 500 else 25)
    payload = payload_from_xlsx(path, include=RECOMPUTE_SHEETS)
    shutil.rmtree(folder, ignore_errors=True)
    _PAYLOADS[n] = json.dumps(payload)
    return _PAYLOADS[n]


def _ics(n: int, blmk: IcsConfig) -> list[dict[str, Any]]:
    cat = _catalogue(n)
    return _actions(
        json.loads(_ics_payload(n, blmk)),
        lambda b: operations.recompute(b, catalogue=cat, ics=blmk, protection=OfficeJsProtection()),
    )


def test_place_recompute_budget() -> None:
    counts = {n: len(_place(n)) for n in SIZES}
    assert max(counts.values()) <= BUDGET
    assert len(set(counts.values())) == 1, counts


def test_ics_recompute_budget(blmk: IcsConfig) -> None:
    counts = {n: len(_ics(n, blmk)) for n in (50, 5000)}
    assert max(counts.values()) <= BUDGET
    assert len(set(counts.values())) == 1, counts


def test_place_actions_are_whole_blocks() -> None:
    actions = _place(500)
    writes = [a for a in actions if a["func"] == "setValues"]
    gap = writes[0]
    assert (gap["row_count"], gap["column_count"]) == (500, 3)
    assert [a["func"] for a in actions] == [
        "runMacro",
        "setValues",
        "rangeUnmerge",
        "setValues",
        "rangeMerge",
        "runMacro",
    ] or [a["func"] for a in actions] == [
        "runMacro",
        "setValues",
        "rangeUnmerge",
        "setValues",
        "runMacro",
    ]


def test_ics_budget_through_the_server(
    client: Client, blmk: IcsConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ltpgap.xl import runtime

    cat = _catalogue(500)
    served = runtime.current()
    monkeypatch.setattr(type(served), "catalogue", lambda self: cat)
    reply = client.post(
        "/xlwings/custom-scripts-call/recompute",
        json=json.loads(_ics_payload(500, blmk)),
        headers=bearer("ics"),
    )
    assert reply.status_code == 200, reply.text
    assert len(reply.json()["actions"]) <= BUDGET
