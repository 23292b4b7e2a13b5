"""The real xlwings Server app, in process: auth, rights, limits, headers and the scripts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from addinkit import Client, bearer
from officejs import ExcelStandIn, payload_from_xlsx

from ltpgap.xl.scripts import CHECK_SHEETS, PLACE_SHEETS, RECOMPUTE_SHEETS
from ltpgap.xl.server import Guard

SCRIPT = "/xlwings/custom-scripts-call/"


def _with_unit(payload: dict[str, Any], unit: str) -> dict[str, Any]:
    """The payload with its metadata naming another place (as Bedford's workbook would)."""
    for sheet in payload["sheets"]:
        if sheet["name"] == "_ltpgap":
            for row in sheet["values"]:
                if row[0] == "unit_id":
                    row[1] = unit
    return payload


def test_scripts_meta_lists_exactly_the_three_buttons(client: Client) -> None:
    meta = client.get("/xlwings/custom-scripts-meta.json").json()
    assert {m["function_name"]: m["include"] for m in meta} == {
        "recompute": ",".join(RECOMPUTE_SHEETS),
        "check": ",".join(CHECK_SHEETS),
        "push_catalogue": ",".join([*PLACE_SHEETS, "Retired"]),
    }


def test_recompute_through_the_server(client: Client, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=RECOMPUTE_SHEETS)
    reply = client.post(SCRIPT + "recompute", json=payload, headers=bearer("luton"))
    assert reply.status_code == 200, reply.text
    funcs = [a["func"] for a in reply.json()["actions"]]
    assert funcs[0] == funcs[-1] == "runMacro"  # protection lifted, then restored
    assert funcs.count("setValues") == 2  # RAG/Reason/Checks block, Summary block


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        (None, "luton", 401),
        ("luton", "luton", 200),
        ("luton", "bedford", 403),
        ("bedford", "luton", 403),
        ("reader", "luton", 403),
        ("ics", "bedford", 200),
    ],
)
def test_rights_come_from_the_identity(
    client: Client, books: dict[str, Path], who: str | None, unit: str, status: int
) -> None:
    payload = _with_unit(payload_from_xlsx(books["luton"], include=PLACE_SHEETS), unit)
    headers = bearer(who) if who else {}
    reply = client.post(SCRIPT + "recompute", json=payload, headers=headers)
    assert reply.status_code == status, reply.text
    if status != 200:
        assert "actions" not in reply.text and reply.json()["detail"]


def test_wrong_token_is_401(client: Client, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=PLACE_SHEETS)
    reply = client.post(
        SCRIPT + "recompute", json=payload, headers={"Authorization": "Bearer not-a-token"}
    )
    assert reply.status_code == 401
    assert "not recognised" in reply.json()["detail"]


@pytest.mark.parametrize(
    "name",
    [
        "os",
        "operations",
        "require_write",
        "current",
        "xw",
        "__init__",
        "..%2Fmain",
        "push_catalogue.__globals__",
    ],
)
def test_only_scripts_are_callable(
    client: Client, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[str] = []
    import ltpgap.xl.operations as ops

    for op in ("recompute", "check", "push_catalogue"):
        monkeypatch.setattr(ops, op, lambda *a, _op=op, **k: called.append(_op))
    reply = client.post(SCRIPT + name, content=b"{}", headers=bearer("luton"))
    assert reply.status_code == 404
    assert called == []


def test_custom_functions_are_not_served(client: Client) -> None:
    reply = client.post("/xlwings/custom-functions-call", json={"func_name": "hello"})
    assert reply.status_code == 404


def test_oversize_declared_is_413_before_auth(client: Client) -> None:
    body = b"{" + b" " * (5 * 1024 * 1024) + b"}"
    reply = client.post(SCRIPT + "recompute", content=body)  # no token: size is checked first
    assert reply.status_code == 413
    assert "MB" in reply.json()["detail"]


def test_oversize_streamed_is_413_before_parsing() -> None:
    """A chunked body with no Content-Length is counted as it arrives and cut off."""
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:  # must never run
        seen.append("app")

    async def authenticate(token: str, provider: str | None) -> Any:
        return type("U", (), {"id": "u", "name": "u", "roles": ["ltpgap.edit.luton"]})()

    guard = Guard(
        app, scripts=frozenset({"recompute"}), authenticate=authenticate, max_body_bytes=1000
    )
    chunks = [b"x" * 400] * 5
    sent: list[dict[str, Any]] = []
    pulled = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunks[pulled - 1], "more_body": pulled < 5}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": SCRIPT + "recompute",
        "headers": [(b"authorization", b"Bearer t")],
    }
    asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 413
    assert seen == [] and pulled == 3  # stopped reading at the first chunk over the limit


def test_limit_is_configurable(server_app: tuple[Any, Any], books: dict[str, Path]) -> None:
    guard, _ = server_app
    small = Guard(
        guard.app, scripts=guard.scripts, authenticate=guard.authenticate, max_body_bytes=10_000
    )
    payload = payload_from_xlsx(books["luton"], include=PLACE_SHEETS)
    reply = Client(small).post(SCRIPT + "recompute", json=payload, headers=bearer("luton"))
    assert reply.status_code == 413


@pytest.mark.parametrize(
    "path", ["/taskpane.html", "/manifest.xml", "/xlwings/custom-scripts-meta"]
)
def test_security_headers(client: Client, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 200
    h = reply.headers
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert h["strict-transport-security"].startswith("max-age=")
    csp = h["content-security-policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors" in csp and "*.officeapps.live.com" in csp
    assert "'unsafe-eval'" not in csp and "script-src 'self'" in csp


def test_security_headers_on_refusals(client: Client) -> None:
    reply = client.post(SCRIPT + "nope")
    assert reply.status_code == 404
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in reply.headers


def test_cors_is_never_star(client: Client) -> None:
    reply = client.request(
        "OPTIONS",
        SCRIPT + "recompute",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert reply.headers.get("access-control-allow-origin") in (None, "")
    plain = client.post(SCRIPT + "recompute", headers={"Origin": "https://evil.example"})
    assert plain.headers.get("access-control-allow-origin") != "*"


def test_unsafe_settings_refused() -> None:
    from types import SimpleNamespace

    from ltpgap.issues import LtpgapError
    from ltpgap.xl.server import _check_settings

    with pytest.raises(LtpgapError) as caught:
        _check_settings(SimpleNamespace(auth_providers=[], cors_allow_origins=["*"]))
    assert [i.code for i in caught.value.issues] == ["unsafe-server-settings"] * 2


def test_manifest_and_taskpane_carry_the_buttons(client: Client) -> None:
    manifest = client.get("/manifest.xml").text
    for fn in ("ltpgap-recompute", "ltpgap-check", "ltpgap-push"):
        assert f"<FunctionName>{fn}</FunctionName>" in manifest
    assert "CustomFunctions" not in manifest  # no worksheet functions
    pane = client.get("/taskpane.html").text
    for script in ("recompute", "check", "push_catalogue"):
        assert f'xw-click="{script}"' in pane
    assert "custom-functions-code" not in pane
    js = client.get("/static/js/main.js").text
    assert "registerCallback(ltpgapUnprotect)" in js


def test_problems_come_back_as_422(client: Client, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=["Summary", "_ltpgap"])
    reply = client.post(SCRIPT + "check", json=payload, headers=bearer("luton"))
    assert reply.status_code == 422
    assert "no-gap-table" in reply.json()["detail"]


def test_payload_is_json_of_office_js_shape(books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=PLACE_SHEETS)
    assert set(payload) == {"client", "version", "book", "names", "sheets"}
    assert payload["client"] == "Office.js"
    assert set(payload["book"]) == {"name", "active_sheet_index", "selection", "calculation"}
    lists = {n["name"] for n in payload["names"]}
    assert {"StatusList", "CoverageList"} <= lists
    by_name = {s["name"]: s for s in payload["sheets"]}
    assert by_name["Read me"]["values"] == [[]] and by_name["Read me"]["tables"] == []
    assert by_name["_ltpgap"]["visibility"] == "Hidden"
    assert by_name["Gap analysis"]["tables"][0]["name"] == "GapAnalysis"
    json.dumps(payload)


def test_a_second_request_sees_the_first_ones_results(
    client: Client, books: dict[str, Path]
) -> None:
    payload = payload_from_xlsx(books["luton"], include=PLACE_SHEETS)
    first = client.post(SCRIPT + "recompute", json=payload, headers=bearer("luton")).json()
    excel = ExcelStandIn(payload).apply(first["actions"])
    again = client.post(SCRIPT + "recompute", json=excel.payload, headers=bearer("luton")).json()
    after = ExcelStandIn(excel.payload).apply(again["actions"])
    assert after.values("Gap analysis") == excel.values("Gap analysis")
    assert excel.coerced == [] and after.coerced == []


def test_started_server_keeps_the_collector_off_shared_objects(server_app: tuple[Any, Any]) -> None:
    """Once started, everything the server loaded is frozen out of the cyclic collector, so a
    full collection during a request does not rescan it (ltpgap.xl.runtime.settle)."""
    import gc

    assert gc.get_freeze_count() > 100_000
