"""`whyno db`: where the catalog lives and its schema version."""

from __future__ import annotations

import typer

from whyno.cli.common import console, open_store
from whyno.store import migrate

app = typer.Typer(
    help="The catalog database: location and schema migrations.", no_args_is_help=True
)


@app.command("upgrade")
def upgrade_cmd(ctx: typer.Context) -> None:
    """Create the database or migrate it to the newest schema."""
    store = open_store(ctx)
    console.print(f"{store.url} is at schema {migrate.current_revision(store.engine)}")


@app.command("info")
def info_cmd(ctx: typer.Context) -> None:
    """Show the database URL, backend and schema revision."""
    store = open_store(ctx)
    console.print(f"database: {store.url}")
    console.print(f"backend:  {store.dialect}")
    console.print(f"schema:   {migrate.current_revision(store.engine)}")
