"""`ltpgap serve`: run the Excel add-in's server (xlwings Server with ltpgap's scripts)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Annotated

import typer

from ltpgap.cli._common import err_console, guarded

HostOption = Annotated[
    str, typer.Option("--host", help="Address to listen on (keep 127.0.0.1 behind a proxy).")
]
PortOption = Annotated[int, typer.Option("--port", help="Port to listen on.")]
EnvFileOption = Annotated[
    Path | None,
    typer.Option(
        "--env-file", help="Settings file (default: .env in this folder).", dir_okay=False
    ),
]
KeyOption = Annotated[
    Path | None,
    typer.Option(
        "--ssl-keyfile",
        help="TLS private key (PEM), to serve HTTPS directly.",
        dir_okay=False,
        exists=True,
    ),
]
CertOption = Annotated[
    Path | None,
    typer.Option(
        "--ssl-certfile",
        help="TLS certificate chain (PEM) for --ssl-keyfile.",
        dir_okay=False,
        exists=True,
    ),
]
ProxyOption = Annotated[
    str,
    typer.Option(
        "--forwarded-allow-ips", help="Proxy addresses whose X-Forwarded-* headers are trusted."
    ),
]


def _license_key(env_file: Path) -> bool:
    if os.environ.get("XLWINGS_LICENSE_KEY"):
        return True
    if env_file.is_file():
        return any(
            line.strip().startswith("XLWINGS_LICENSE_KEY=") and line.split("=", 1)[1].strip()
            for line in env_file.read_text(encoding="utf-8", errors="replace").splitlines()
        )
    return False


def _fail(message: str) -> None:
    err_console.print(f"ltpgap: {message}", markup=False, highlight=False)
    raise typer.Exit(code=1)


@guarded
def serve_command(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    env_file: EnvFileOption = None,
    ssl_keyfile: KeyOption = None,
    ssl_certfile: CertOption = None,
    forwarded_allow_ips: ProxyOption = "127.0.0.1",
) -> None:
    """Run the Excel add-in's server: xlwings Server with ltpgap's buttons, auth always on.

    Serves the task pane, the add-in manifest (/manifest.xml, to sideload) and the three
    scripts: Recompute, Check, Push catalogue. Needs ltpgap's "server" extra and an xlwings
    PRO licence key (XLWINGS_LICENSE_KEY; the README's add-in section, "Licensing", says
    which licence applies).
    Settings come from the environment or the --env-file: LTPGAP_TOKENS_FILE,
    XLWINGS_AUTH_PROVIDERS, LTPGAP_MAX_BODY_BYTES and others. Excel only talks to an HTTPS
    add-in: put a TLS reverse proxy in front, or pass --ssl-keyfile and --ssl-certfile.
    """
    try:
        installed = importlib.util.find_spec("xlwings_server") is not None
    except ImportError:
        installed = False
    if not installed:
        _fail("the add-in server is not installed; run: pip install 'ltpgap[server]'")
    env = env_file or Path.cwd() / ".env"
    if not _license_key(env):
        _fail(
            "no xlwings PRO licence key: set XLWINGS_LICENSE_KEY (in the environment or "
            f"{env}). The README's add-in section, 'Licensing', says which licence applies."
        )
    if (ssl_keyfile is None) != (ssl_certfile is None):
        _fail("give both --ssl-keyfile and --ssl-certfile, or neither.")
    import uvicorn

    from ltpgap.xl.server import ServerConfig, create_app

    app = create_app(ServerConfig.from_env(env_file=str(env)))
    scheme = "https" if ssl_certfile else "http"
    err_console.print(
        f"ltpgap add-in server on {scheme}://{host}:{port} "
        f"(manifest: {scheme}://{host}:{port}/manifest.xml)",
        markup=False,
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        log_level="info",
    )
