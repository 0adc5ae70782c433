"""`whyno serve` (the team server) and `whyno user add` (its accounts)."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.markup import escape

from whyno.cli.common import console, open_store, settings
from whyno.config import check_secret
from whyno.errors import InputError, MissingExtraError

SERVER_MODULES = (
    ("fastapi", "fastapi"),
    ("uvicorn", "uvicorn"),
    ("python_multipart", "python-multipart"),
    ("argon2", "argon2-cffi"),
    ("itsdangerous", "itsdangerous"),
)

app = typer.Typer(help="Accounts on the team server: users and their roles.", no_args_is_help=True)


def require_server_extra() -> None:
    """MissingExtraError naming the package when the ``server`` extra is not installed."""
    for module, package in SERVER_MODULES:
        try:
            __import__(module)
        except ImportError as exc:
            raise MissingExtraError("The team server", "server", package) from exc


def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every one).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (PostgreSQL: one per core).")] = 1,
) -> None:
    """Run the team server: the web app and the REST API (needs WHYNO_SECRET_KEY)."""
    require_server_extra()
    config = settings(ctx)
    check_secret(config)
    if workers > 1 and config.resolved_database_url().startswith("sqlite"):
        console.print("[yellow]SQLite takes one writer at a time; PostgreSQL suits workers.[/]")
    open_store(ctx)  # create or migrate the schema once, before any worker starts
    os.environ["WHYNO_DATABASE_URL"] = config.resolved_database_url()
    import uvicorn

    console.print(f"whyno serves {escape(config.resolved_database_url())} on http://{host}:{port}")
    uvicorn.run(
        "whyno.web.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise InputError("give the password with --password-stdin (or run in a terminal)")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Their sign-in name (lower case).")],
    role: Annotated[str, typer.Option(help="seller, manager or admin.")] = "seller",
    team: Annotated[str, typer.Option(help="Their team (created if new).")] = "default",
    seller: Annotated[
        str | None, typer.Option(help="The seller name their deals carry (sellers).")
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the app.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user of the team server; the first one is usually an admin (--role admin)."""
    require_server_extra()
    from whyno.accounts.users import add_user

    user = add_user(
        open_store(ctx),
        username,
        _password(password_stdin),
        role=role,
        team=team,
        seller=seller,
        display_name=display_name,
    )
    console.print(
        f"[green]Added {escape(user.username)}[/green] ({user.role} in {escape(user.team_name)})."
    )
