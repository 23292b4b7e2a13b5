"""The task pane's JavaScript, run by Node.js against a stand-in of Office.js and xlwings.js.

Excel itself is not available here, so this is the next best thing: the JavaScript exactly as
the real xlwings Server app serves it, fed the actions a real script returned through that
server, against a stand-in that queues changes until ``context.sync()`` and refuses reads of
unloaded properties as Office.js does (``tests/xl/js/standin.js``). It checks the contract
between the Python side (which queues ``runMacro`` actions around its writes) and the
callbacks: every write lands on an unprotected sheet, protection comes back with the options
it had, cell locks are applied as asked, and the ribbon buttons send the script's own sheets
with the task pane's token.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from addinkit import TOKENS, Client, bearer
from officejs import payload_from_xlsx

from ltpgap.xl.scripts import PLACE_SHEETS, RECOMPUTE_SHEETS

NODE = shutil.which("node") or shutil.which("nodejs")
STANDIN = Path(__file__).parent / "js" / "standin.js"
SCRIPT = "/xlwings/custom-scripts-call/"
OPTIONS = {"allowFormatColumns": True, "allowFormatRows": True, "allowAutoFilter": True}

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (CI installs it)")


def _run(client: Client, **given: Any) -> dict[str, Any]:
    files = {n: client.get(f"/static/js/{n}").text for n in ("auth.js", "main.js", "ribbon.js")}
    meta = client.get("/xlwings/custom-scripts-meta.json").json()
    body = {
        "files": files,
        "config": {"authProviders": ["ltpgap_token"], "appPath": ""},
        "token": None,
        "meta": meta,
        "press": [],
        "actions": [],
        **given,
    }
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(STANDIN)],
        input=json.dumps(body),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    out = json.loads(done.stdout or "{}")
    assert done.returncode == 0 and "error" not in out, (done.stderr, out.get("error"))
    return out


def _sheets(payload: dict[str, Any], protected: set[str]) -> list[dict[str, Any]]:
    return [
        {"name": s["name"], "protected": s["name"] in protected, "options": dict(OPTIONS)}
        for s in payload["sheets"]
    ]


def _actions(client: Client, script: str, payload: dict[str, Any], who: str) -> list[Any]:
    reply = client.post(SCRIPT + script, json=payload, headers=bearer(who))
    assert reply.status_code == 200, reply.text
    return list(reply.json()["actions"])


@pytest.mark.parametrize(
    "protected",
    [
        pytest.param({"Read me", "Gap analysis", "Summary", "Lists", "_ltpgap"}, id="all"),
        pytest.param({"Gap analysis"}, id="data-sheet-only"),
        pytest.param(set(), id="none"),
    ],
)
def test_recompute_writes_only_unprotected_sheets_and_restores_protection(
    client: Client, books: dict[str, Path], protected: set[str]
) -> None:
    payload = payload_from_xlsx(books["luton"], include=RECOMPUTE_SHEETS)
    actions = _actions(client, "recompute", payload, "luton")
    sheets = _sheets(payload, protected)
    out = _run(client, sheets=sheets, actions=actions)
    assert out["problems"] == []
    assert out["callbacks"] == ["ltpgapProtect", "ltpgapUnprotect"]
    writes = [entry for entry in out["log"] if entry[0] == "write"]
    assert {w[1] for w in writes} == {"Gap analysis", "Summary"}
    # every sheet is back as it was: protected ones with the same options, the others open
    assert out["final"] == {s["name"]: {k: s[k] for k in ("protected", "options")} for s in sheets}
    lifted = [e[1] for e in out["log"] if e[0] == "unprotect"]
    assert sorted(lifted) == sorted(protected & {"Gap analysis", "Summary"})


def test_push_applies_the_cell_locks_it_asks_for(client: Client, books: dict[str, Path]) -> None:
    payload = payload_from_xlsx(books["luton"], include=[*PLACE_SHEETS, "Retired"])
    actions = _actions(client, "push_catalogue", payload, "luton")
    protect = [a for a in actions if a["func"] == "runMacro" and a["args"][0] == "ltpgapProtect"]
    assert len(protect) == 1
    asked = protect[0]["args"][2]
    assert asked, "a push sets which cells are input cells"
    out = _run(client, sheets=_sheets(payload, set(PLACE_SHEETS)), actions=actions)
    assert out["problems"] == []
    applied = [f"{'L' if e[3] else 'U'}:{e[1]}!{e[2]}" for e in out["log"] if e[0] == "locked"]
    assert [a.replace("'", "") for a in asked] == applied
    assert all(s["protected"] for n, s in out["final"].items() if n in PLACE_SHEETS)


@pytest.mark.parametrize("button", ["ltpgap-recompute", "ltpgap-check", "ltpgap-push"])
def test_ribbon_buttons_send_the_scripts_sheets_and_the_token(client: Client, button: str) -> None:
    token = TOKENS["luton"][1]
    out = _run(client, sheets=[], token=token, press=[button])
    meta = {
        m["function_name"]: m["include"]
        for m in client.get("/xlwings/custom-scripts-meta.json").json()
    }
    script = {"ltpgap-recompute": "recompute", "ltpgap-check": "check"}.get(
        button, "push_catalogue"
    )
    assert out["problems"] == [] and out["ribbon"] == sorted(
        ["ltpgap-recompute", "ltpgap-check", "ltpgap-push"]
    )
    assert out["runs"] == [
        {
            "auth": f"Bearer {token}",
            "scriptName": script,
            "include": meta[script],
            "headers": {"Auth-Provider": "ltpgap_token"},
        }
    ]


def test_auth_uses_entra_sso_when_the_server_does(client: Client) -> None:
    out = _run(client, sheets=[], config={"authProviders": ["entraid"], "appPath": ""})
    assert out["auth"] == {"token": "Bearer entra-sso-token", "provider": "entraid"}
    out = _run(client, sheets=[], token=None)
    assert out["auth"] == {"token": "", "provider": "ltpgap_token"}  # no token: 401 server-side
