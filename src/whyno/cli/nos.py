"""`whyno log | list | show | stats | export`: the catalog by hand and at a glance."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.prompt import Prompt
from rich.table import Table

from whyno.cli.common import console, date_option, err_console, open_store, print_json
from whyno.errors import InputError
from whyno.nos.entry import NoEntry, log_no
from whyno.nos.export import Format, export_nos
from whyno.nos.queries import NoFilter, count_nos, get_no, list_nos, no_stats
from whyno.values import amount_input

EndedByOpt = Annotated[str | None, typer.Option("--ended-by", help="them, us or silent.")]
SinceOpt = Annotated[str | None, typer.Option(help="Only no's on or after this date.")]
UntilOpt = Annotated[str | None, typer.Option(help="Only no's on or before this date.")]
SellerOpt = Annotated[str | None, typer.Option(help="Only this seller's no's.")]
StageOpt = Annotated[str | None, typer.Option(help="Only no's at this stage.")]
ReasonOpt = Annotated[
    bool | None,
    typer.Option(
        "--has-reason/--no-reason", help="Only no's with (or without) an understood reason."
    ),
]


def _filter(
    since: str | None,
    until: str | None,
    seller: str | None,
    stage: str | None,
    ended_by: str | None,
    has_reason: bool | None,
    limit: int | None = None,
) -> NoFilter:
    if ended_by and ended_by not in ("them", "us", "silent"):
        raise InputError(f"--ended-by {ended_by!r}: use them, us or silent")
    return NoFilter(
        since=date_option(since, "--since"),
        until=date_option(until, "--until"),
        seller=seller,
        stage=stage,
        ended_by=ended_by,
        has_reason=has_reason,
        limit=limit,
    )


def log_cmd(
    ctx: typer.Context,
    deal: Annotated[str | None, typer.Option(help="Deal name (a new deal is created).")] = None,
    deal_id: Annotated[
        int | None, typer.Option(help="An existing deal's whyno id instead.")
    ] = None,
    account: Annotated[str | None, typer.Option(help="Account (company) name.")] = None,
    seller: Annotated[str | None, typer.Option(help="Who sold it.")] = None,
    ended_by: EndedByOpt = None,
    reason: Annotated[str | None, typer.Option(help="Why, in their words (may be empty).")] = None,
    competitor: Annotated[
        str | None, typer.Option(help="Who they chose instead, if anyone.")
    ] = None,
    stage: Annotated[str | None, typer.Option(help="Stage the deal was at.")] = None,
    date: Annotated[str | None, typer.Option(help="Date of the no (default: today).")] = None,
    understood: Annotated[
        bool | None,
        typer.Option(
            "--understood/--not-understood",
            help="Did we truly learn why? (default: yes if a specific reason is given)",
        ),
    ] = None,
    revisit: Annotated[str | None, typer.Option(help="Revisit after this date.")] = None,
    amount: Annotated[
        str | None, typer.Option(help='Deal amount, e.g. 12000 or "$12,000".')
    ] = None,
    contact_name: Annotated[str | None, typer.Option(help="Who said no.")] = None,
    contact_email: Annotated[str | None, typer.Option(help="Their email.")] = None,
    industry: Annotated[str | None, typer.Option()] = None,
    region: Annotated[str | None, typer.Option()] = None,
    size: Annotated[str | None, typer.Option(help="Company size or segment.")] = None,
    product: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a no by hand, from flags, or by answering questions in a terminal."""
    if deal is None and deal_id is None:
        if not _interactive():
            raise InputError(
                "name the deal with --deal NAME (or run `whyno log` in a terminal to be asked)"
            )
        deal, account, seller, ended_by, reason, competitor = _ask(account, seller, ended_by)
    money = amount_input(amount, "--amount")
    entry = NoEntry(
        deal=deal,
        deal_id=deal_id,
        account=account,
        seller=seller,
        occurred_on=date_option(date, "--date"),
        stage=stage,
        ended_by=ended_by,
        reason=reason,
        competitor=competitor,
        understood=understood,
        revisit_after=date_option(revisit, "--revisit"),
        amount=money[0],
        currency=money[1],
        contact_name=contact_name,
        contact_email=contact_email,
        industry=industry,
        region=region,
        size=size,
        product=product,
    )
    no_id = log_no(open_store(ctx), entry)
    console.print(f"[green]Logged no #{no_id}.[/green]")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(account: str | None, seller: str | None, ended_by: str | None) -> tuple[Any, ...]:
    deal = Prompt.ask("Deal")
    account = Prompt.ask("Account", default=account or "") or None
    seller = Prompt.ask("Seller", default=seller or "") or None
    ended_by = Prompt.ask(
        "Who ended it", choices=["them", "us", "silent"], default=ended_by or "them"
    )
    reason = Prompt.ask("Their reason, in their words (Enter if none)", default="") or None
    competitor = Prompt.ask("Competitor chosen (Enter if none)", default="") or None
    return deal, account, seller, ended_by, reason, competitor


def list_cmd(
    ctx: typer.Context,
    since: SinceOpt = None,
    until: UntilOpt = None,
    seller: SellerOpt = None,
    stage: StageOpt = None,
    ended_by: EndedByOpt = None,
    has_reason: ReasonOpt = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (newest first).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List no's, newest first, with filters."""
    store = open_store(ctx)
    f = _filter(since, until, seller, stage, ended_by, has_reason, limit)
    rows = list_nos(store, f)
    total = count_nos(store, f)
    if as_json:
        print_json({"data": rows, "count": total})
        return
    table = Table()
    for name in ("id", "date", "deal", "seller", "ended by"):
        table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("reason", ratio=1, min_width=20)
    table.add_column("competitor", no_wrap=True, overflow="ellipsis", max_width=14)
    for r in rows:
        reason = r.verbatim or "[dim](no reason: learning gap)[/dim]"
        table.add_row(
            str(r.id),
            str(r.occurred_on or ""),
            escape(r.deal or ""),
            escape(r.seller or ""),
            r.ended_by or "?",
            reason if not r.verbatim else escape(_short(r.verbatim)),
            escape(r.competitor or ""),
        )
    console.print(table)
    console.print(
        f"{len(rows)} of {total} no's shown" + (" (use --limit)" if total > len(rows) else "")
    )


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def show_cmd(
    ctx: typer.Context,
    no_id: Annotated[int, typer.Argument(metavar="ID", help="The no's id (see `whyno list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one no in full: deal, contact, verbatim and reason labels."""
    detail = get_no(open_store(ctx), no_id)
    if as_json:
        print_json(detail)
        return
    no = detail.no
    table = Table(show_header=False, box=None, padding=(0, 2))
    rows: list[tuple[str, Any]] = [
        ("no", no.id),
        ("date", no.occurred_on),
        ("deal", no.deal),
        ("deal id", f"{no.deal_source}:{no.deal_id} ({detail.deal_status})"),
        ("account", no.account),
        ("seller", no.seller),
        ("stage at the no", no.stage),
        ("ended by", no.ended_by or "unknown"),
        ("verbatim", no.verbatim),
        ("CRM reason", no.crm_reason),
        ("competitor", no.competitor),
        ("reason understood", "yes" if no.reason_understood else "no (learning gap)"),
        ("revisit after", no.revisit_after),
        ("amount", _money(no.amount, no.currency)),
        ("segment", " / ".join(x for x in (no.industry, no.size, no.region) if x)),
        ("product", no.product),
        ("contact", _contact(detail)),
        ("entered via", detail.source),
    ]
    for key, value in rows:
        if value not in (None, ""):
            table.add_row(f"[bold]{key}[/bold]", escape(str(value)))
    for label in detail.labels:
        table.add_row(
            "[bold]reason[/bold]", f"{label.category} ({label.confidence:.0%}, {label.source})"
        )
    console.print(table)


def _money(amount: float | None, currency: str | None) -> str | None:
    return None if amount is None else f"{amount:,.2f} {currency or ''}".strip()


def _contact(detail: Any) -> str | None:
    parts = [p for p in (detail.contact_name, detail.contact_email) if p]
    if not parts:
        return None
    return " ".join(parts) + (f" [{detail.contact_status}]" if detail.contact_status else "")


def stats_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts: deals, no's, no's with an understood reason, learning gaps."""
    stats = no_stats(open_store(ctx))
    if as_json:
        print_json(stats)
        return
    table = Table(show_header=False, box=None, padding=(0, 2))
    for key, value in stats.items():
        shown = (
            ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else value
        )
        table.add_row(key.replace("_", " "), str(shown))
    console.print(table)


def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv, json or jsonl.")] = "csv",
    out: Annotated[Path | None, typer.Option(help="Output file (default: stdout).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    seller: SellerOpt = None,
    stage: StageOpt = None,
    ended_by: EndedByOpt = None,
    has_reason: ReasonOpt = None,
) -> None:
    """Export no's to CSV or JSON (CSV cells are safe against formula injection)."""
    if fmt not in ("csv", "json", "jsonl"):
        raise InputError(f"--format {fmt!r}: use csv, json or jsonl")
    f = _filter(since, until, seller, stage, ended_by, has_reason)
    store = open_store(ctx)
    fmt_: Format = fmt  # type: ignore[assignment]
    if out is None:
        export_nos(store, sys.stdout, fmt_, f)
        return
    with out.open("w", newline="", encoding="utf-8") as handle:
        count = export_nos(store, handle, fmt_, f)
    err_console.print(f"{count} no's written to {escape(str(out))}")
