"""``ltpgap serve``: the real xlwings Server app with ltpgap's scripts, behind a guard.

Wiring: xlwings Server loads a *project directory* (``XLWINGS_PROJECT_DIR``) for its
``custom_scripts``, ``custom_functions``, ``auth`` providers, templates and static files.
ltpgap ships one (``ltpgap/xl/_server_project``): its ``custom_scripts`` re-exports
:mod:`ltpgap.xl.scripts`, ``auth/ltpgap_token`` is :mod:`ltpgap.xl.auth`, and the task pane,
ribbon and manifest carry ltpgap's three buttons. :func:`create_app` sets that up (settings
are read by xlwings Server at import time, so they go into the environment first), imports
``xlwings_server.main`` and wraps its ASGI app in :class:`Guard`, which, before anything is
parsed: answers 404 for anything but a registered ``@script``; refuses bodies over the limit
with 413 (declared ``Content-Length`` and bytes actually streamed); authenticates with the
configured provider (401); and adds the security headers. Per-place write rights (403) are
checked by the scripts from the authenticated identity. Requires the ``server`` extra and an
xlwings PRO licence key (see the README, "The Excel add-in").
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_CSP",
    "PROJECT_DIR",
    "Guard",
    "ServerConfig",
    "create_app",
    "prepare_environment",
]

PROJECT_DIR = Path(__file__).with_name("_server_project")
MB = 1024 * 1024

#: Content-Security-Policy for the task pane: scripts only from this server (and Office.js's
#: own CDN when XLWINGS_CDN_OFFICEJS is set), framed only by Office hosts.
DEFAULT_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' https://appsforoffice.microsoft.com https://alcdn.msauth.net",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https://www.xlwings.org",
        "font-src 'self' data:",
        "connect-src 'self' https://login.microsoftonline.com",
        "frame-src 'self' https://login.microsoftonline.com",
        "frame-ancestors 'self' https://*.officeapps.live.com https://*.office.com "
        "https://*.office365.com https://*.sharepoint.com https://*.microsoft365.com "
        "https://*.cloud.microsoft",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    )
)
HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Only honoured over HTTPS: the reverse proxy in front terminates TLS (docs).
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Permitted-Cross-Domain-Policies": "none",
}

#: xlwings Server settings ltpgap changes from xlwings' defaults (an environment variable or
#: an entry in the .env file still wins).
XLWINGS_DEFAULTS: dict[str, str] = {
    "XLWINGS_AUTH_PROVIDERS": '["ltpgap_token"]',
    "XLWINGS_ENABLE_SOCKETIO": "false",
    "XLWINGS_ENABLE_EXAMPLES": "false",
    "XLWINGS_ENABLE_HOTRELOAD": "false",
    "XLWINGS_ENABLE_TESTS": "false",
    "XLWINGS_ENVIRONMENT": "prod",
    "XLWINGS_PROJECT_NAME": "ltpgap",
    "XLWINGS_FUNCTIONS_NAMESPACE": "LTPGAP",
    "XLWINGS_CORS_ALLOW_ORIGINS": "[]",
    # ltpgap's own add-in ids (xlwings' defaults are shared by every xlwings Server project).
    "XLWINGS_MANIFEST_ID_DEV": "748cf44a-99ea-4cf9-b9c7-e819ddda6e86",
    "XLWINGS_MANIFEST_ID_QA": "75546824-c44c-4e08-9db9-e18a30582051",
    "XLWINGS_MANIFEST_ID_UAT": "1036caf0-8bf9-4851-93ef-63cde209d470",
    "XLWINGS_MANIFEST_ID_STAGING": "b558cc4a-9a88-4c28-a528-a55436f95c38",
    "XLWINGS_MANIFEST_ID_PROD": "f289cf37-8df4-40c8-81be-416fcd39f151",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    """ltpgap's own server settings (environment variables ``LTPGAP_*``)."""

    max_body_bytes: int = 5 * MB
    role_prefix: str = "ltpgap.edit."
    catalogue: str | None = None
    ics: str | None = None
    csp: str = DEFAULT_CSP
    env_file: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> ServerConfig:
        """Read ``LTPGAP_MAX_BODY_BYTES``, ``LTPGAP_ROLE_PREFIX``, ``LTPGAP_CATALOGUE``, …"""
        env = os.environ if env is None else env
        values: dict[str, Any] = {
            "max_body_bytes": int(env.get("LTPGAP_MAX_BODY_BYTES", 5 * MB)),
            "role_prefix": env.get("LTPGAP_ROLE_PREFIX", "ltpgap.edit."),
            "catalogue": env.get("LTPGAP_CATALOGUE") or None,
            "ics": env.get("LTPGAP_ICS") or None,
            "csp": env.get("LTPGAP_CSP", DEFAULT_CSP),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def prepare_environment(config: ServerConfig) -> None:
    """Point xlwings Server at ltpgap's project directory and set ltpgap's defaults."""
    from_file: dict[str, str | None] = {}
    env_file = Path(config.env_file) if config.env_file else Path.cwd() / ".env"
    if env_file.is_file():
        from dotenv import dotenv_values

        from_file = dict(dotenv_values(env_file))
        os.environ["DOTENV_PATH"] = str(env_file)
    else:
        os.environ["DOTENV_PATH"] = str(PROJECT_DIR / "no.env")  # never the package's own
    os.environ["XLWINGS_PROJECT_DIR"] = str(PROJECT_DIR)
    os.environ["XLWINGS_ON_SERVER"] = "true"
    for key, value in XLWINGS_DEFAULTS.items():
        if key not in os.environ and key not in from_file:
            os.environ[key] = value
    for key in ("LTPGAP_TOKENS_FILE", "LTPGAP_ROLE_PREFIX", "XLWINGS_LICENSE_KEY"):
        if key not in os.environ and from_file.get(key):
            os.environ[key] = str(from_file[key])
    os.environ["LTPGAP_ROLE_PREFIX"] = config.role_prefix


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Authenticate = Callable[[str, str | None], Awaitable[Any]]


class Guard:
    """ASGI middleware in front of xlwings Server: 404, 413 and 401 before any parsing."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        scripts: frozenset[str],
        authenticate: Authenticate,
        max_body_bytes: int = 5 * MB,
        role_prefix: str = "ltpgap.edit.",
        csp: str = DEFAULT_CSP,
        app_path: str = "",
    ) -> None:
        self.app = app
        self.scripts = scripts
        self.authenticate = authenticate
        self.max_body_bytes = max_body_bytes
        self.role_prefix = role_prefix
        self.headers = {**HEADERS, "Content-Security-Policy": csp}
        self.api = f"{app_path}/xlwings/"
        self.script_path = f"{app_path}/xlwings/custom-scripts-call/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await self.app(scope, receive, send)
            return
        send = self._secure(send)
        path: str = scope["path"]
        if path.startswith(self.script_path):
            await self._script(scope, receive, send, path[len(self.script_path) :])
        elif path.startswith((self.api + "custom-functions-call", "/socket.io")):
            await self._reply(send, 404, "Not found: this server runs ltpgap's scripts only.")
        elif scope["method"] in ("POST", "PUT", "PATCH"):
            body = await self._bounded_body(scope, receive, send)
            if body is not None:
                await self.app(scope, _replay(body, receive), send)
        else:
            await self.app(scope, receive, send)

    async def _script(self, scope: Scope, receive: Receive, send: Send, name: str) -> None:
        from ltpgap.xl.rights import identity_from_roles, using_identity

        if name not in self.scripts:
            await self._reply(send, 404, f"Not found: '{name[:60]}' is not an ltpgap script.")
            return
        if scope["method"] != "POST":
            await self._reply(send, 405, "Use POST to run a script.")
            return
        headers = _headers(scope)
        if _declared_length(headers) > self.max_body_bytes:
            await self._too_large(send)
            return
        try:
            user = await self.authenticate(
                headers.get("authorization", ""), headers.get("auth-provider")
            )
        except Exception as exc:  # fastapi.HTTPException from the provider
            code = int(getattr(exc, "status_code", 401))
            await self._reply(send, code, str(getattr(exc, "detail", "Sign in first.")))
            return
        body = await self._bounded_body(scope, receive, send)
        if body is None:
            return
        identity = identity_from_roles(
            id=str(user.id or ""),
            name=str(user.name or "user"),
            roles=list(user.roles or []),
            prefix=self.role_prefix,
        )
        with using_identity(identity, required=True):
            await self.app(scope, _replay(body, receive), send)

    async def _bounded_body(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None after answering 413 once it passes the limit."""
        if _declared_length(_headers(scope)) > self.max_body_bytes:
            await self._too_large(send)
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._too_large(send)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _too_large(self, send: Send) -> None:
        limit = self.max_body_bytes / MB
        await self._reply(
            send,
            413,
            f"The workbook sent is larger than this server accepts ({limit:g} MB). Remove "
            "unrelated sheets from the workbook, or ask the administrator to raise "
            "LTPGAP_MAX_BODY_BYTES.",
        )

    async def _reply(self, send: Send, status: int, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _secure(self, send: Send) -> Send:
        extra = [(k.lower().encode(), v.encode()) for k, v in self.headers.items()]

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in extra if k not in present),
                ]
            await send(message)

        return wrapped


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _declared_length(headers: Mapping[str, str]) -> int:
    try:
        return int(headers.get("content-length", "0"))
    except ValueError:
        return 0


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def create_app(config: ServerConfig | None = None) -> ASGIApp:
    """The xlwings Server ASGI app serving ltpgap's scripts, wrapped in :class:`Guard`."""
    config = config or ServerConfig.from_env()
    loaded = sys.modules.get("xlwings_server.config")
    if loaded is not None and Path(loaded.PROJECT_DIR) != PROJECT_DIR:
        raise RuntimeError(
            "xlwings_server was imported before ltpgap configured it; start the server with "
            "`ltpgap serve` (or call create_app before anything imports xlwings_server)."
        )
    prepare_environment(config)
    from ltpgap.xl import runtime
    from ltpgap.xl.protection import OfficeJsProtection

    runtime.configure(
        runtime.Runtime(
            name="server",
            protection=OfficeJsProtection(),
            catalogue_path=config.catalogue,
            ics_path=config.ics,
        )
    )
    import xlwings.server
    from xlwings_server import dependencies, main
    from xlwings_server.config import settings
    from xlwings_server.routers import xlwings as xlwings_router

    _check_settings(settings)
    _add_handlers(main.app)
    names = frozenset(
        m["function_name"]
        for m in xlwings.server.custom_scripts_meta(xlwings_router.custom_scripts)
    )

    async def authenticate(token: str, provider: str | None) -> Any:
        return await dependencies.authenticate(token_string=token, auth_provider=provider)

    runtime.settle()  # after every import: requests then scan only their own objects
    return Guard(
        main.main_app,
        scripts=names,
        authenticate=authenticate,
        max_body_bytes=config.max_body_bytes,
        role_prefix=config.role_prefix,
        csp=config.csp,
        app_path=settings.app_path,
    )


def _check_settings(settings: Any) -> None:
    from ltpgap.issues import LtpgapError, make_issue

    problems = []
    if not settings.auth_providers:
        problems.append(
            make_issue(
                "unsafe-server-settings",
                "XLWINGS_AUTH_PROVIDERS is empty: ltpgap's server does not run without "
                'authentication. Use ["ltpgap_token"] (the default) or ["entraid"].',
            )
        )
    if "*" in (settings.cors_allow_origins or []):
        problems.append(
            make_issue(
                "unsafe-server-settings",
                "XLWINGS_CORS_ALLOW_ORIGINS contains '*': list the exact origins "
                "that may call the server instead (usually none are needed).",
            )
        )
    if problems:
        raise LtpgapError(problems, "the server settings are unsafe")


def _add_handlers(app: Any) -> None:
    from fastapi.responses import JSONResponse

    from ltpgap.issues import LtpgapError, format_issues
    from ltpgap.xl.rights import NotAllowed

    async def not_allowed(request: Any, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NotAllowed)
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    async def problems(request: Any, exc: Exception) -> JSONResponse:
        assert isinstance(exc, LtpgapError)
        return JSONResponse({"detail": format_issues(exc.issues, limit=10)}, status_code=422)

    app.add_exception_handler(NotAllowed, not_allowed)
    app.add_exception_handler(LtpgapError, problems)
