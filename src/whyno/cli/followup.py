"""`whyno revisit | resolved | consent | forget | pipeline`: come back when it makes sense."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from whyno.cli.common import console, date_option, open_store, print_json, settings
from whyno.errors import InputError
from whyno.followup.consent import forget, set_status
from whyno.followup.pipeline import pipeline
from whyno.followup.resolved import resolved
from whyno.followup.revisit import Rules, revisit_queue

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def revisit_cmd(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    today: Annotated[str | None, typer.Option(help="Pretend today is this date.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    fiscal_year_start: Annotated[
        int, typer.Option(help="Month their fiscal year starts (budget no's come back then).")
    ] = 1,
    competitor_months: Annotated[
        int, typer.Option(help="Months until a competitor's contract is up for renewal.")
    ] = 12,
) -> None:
    """The no's due for a revisit, with their reason and why now (never do-not-contact)."""
    if not 1 <= fiscal_year_start <= 12 or competitor_months < 1:
        raise InputError("--fiscal-year-start is a month (1-12); --competitor-months at least 1")
    rules = Rules(fiscal_year_start=fiscal_year_start, competitor_months=competitor_months)
    queue = revisit_queue(open_store(ctx), date_option(today, "--today"), rules)
    if as_json:
        print_json(
            {
                "due": queue.due,
                "later": queue.later,
                "never": queue.never,
                "do_not_contact": queue.do_not_contact,
            }
        )
        return
    table = Table("no", "account", "seller", "said no", "reason", "revisit", "why now")
    for d in queue.due[:limit]:
        table.add_row(
            str(d.no_id),
            escape(d.account or ""),
            escape(d.seller or ""),
            str(d.occurred_on),
            d.category or "?",
            str(d.revisit_on),
            escape(d.why_now),
        )
    console.print(table)
    console.print(
        f"{len(queue.due)} due, {queue.later} later, {queue.never} never "
        f"(not our customer or won since), {queue.do_not_contact} withheld "
        "(do-not-contact)."
    )


def resolved_cmd(
    ctx: typer.Context,
    announcement: Annotated[
        str, typer.Argument(metavar="TEXT", help='What changed: "we shipped the Xero sync".')
    ],
    category: Annotated[
        str | None, typer.Option(help="Only no's with this reason (taxonomy id).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many matches.")] = 50,
    queue: Annotated[
        bool, typer.Option("--queue/--no-queue", help="Queue the matches for a revisit today.")
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """A gap is closed: find the past no's it answers and queue the contactable ones."""
    result = resolved(open_store(ctx), announcement, category=category, limit=limit, queue=queue)
    if as_json:
        print_json(
            {
                "matches": result.matches,
                "queued": result.queued,
                "do_not_contact": result.do_not_contact,
            }
        )
        return
    table = Table("no", "account", "said no", "reason", "match", "verbatim")
    for m in result.matches:
        table.add_row(
            str(m.no_id),
            escape(m.account or ""),
            m.occurred_on or "",
            m.category or "",
            f"{m.similarity:.2f}",
            escape(m.verbatim),
        )
    console.print(table)
    console.print(
        f"{len(result.matches)} no's match; {result.queued} queued for a revisit today "
        f"(whyno revisit); {result.do_not_contact} withheld (do-not-contact)."
    )


def consent_cmd(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(metavar="EMAIL|CONTACT_ID")],
    status: Annotated[str, typer.Option(help="ok, not_now or do_not_contact.")] = "do_not_contact",
) -> None:
    """Record a person's contact preference (do-not-contact wins everywhere)."""
    count = set_status(open_store(ctx), who, status)
    console.print(f"{count} contact(s) set to {status}.")


def forget_cmd(
    ctx: typer.Context,
    who: Annotated[str, typer.Argument(metavar="EMAIL|CONTACT_ID")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Erase a person's personal data everywhere (keeps anonymous counts; audited)."""
    question = f"Erase everything whyno knows about {who}? This cannot be undone"
    if not yes and not typer.confirm(question):
        raise InputError("nothing erased")
    result = forget(open_store(ctx), who, cache_dir=settings(ctx).cache_dir)
    if as_json:
        print_json(result)
        return
    console.print(
        f"Erased {result.contacts} contact(s): verbatims of {result.nos} no's, "
        f"{result.deals} deal(s) unlinked, {result.utterances} utterances. Reports "
        "written before today may still hold them: regenerate or delete them."
    )


def pipeline_cmd(
    ctx: typer.Context,
    ratio: Annotated[
        float, typer.Option(help="Coverage ratio: target = ratio x won per quarter.")
    ] = 3.0,
    today: Annotated[str | None, typer.Option(help="Pretend today is this date.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Open pipeline per seller against a target; flags sellers likely to push."""
    if ratio <= 0:
        raise InputError("--ratio must be positive")
    rows = pipeline(open_store(ctx), ratio, date_option(today, "--today") or dt.date.today())
    if as_json:
        print_json(rows)
        return
    table = Table("seller", "open deals", "open pipeline", "won / quarter", "target", "coverage")
    for r in rows:
        cover = "n/a" if r.coverage is None else f"{r.coverage:.1f}x"
        flag = " [red]thin: likely to push[/red]" if r.thin else ""
        table.add_row(
            escape(r.seller),
            str(r.open_deals),
            f"{r.open_amount:,.0f}",
            f"{r.won_per_quarter:,.0f}",
            f"{r.target:,.0f}",
            cover + flag,
        )
    console.print(table)
