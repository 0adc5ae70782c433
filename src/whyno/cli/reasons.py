"""`whyno reasons`: classify verbatims, label the catalog, review, themes, evaluate."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.prompt import Prompt
from rich.table import Table

from whyno.cli.common import (
    console,
    err_console,
    open_store,
    print_json,
    progress_bar,
    settings,
)
from whyno.encoding import dumps
from whyno.errors import InputError
from whyno.reasons import labels
from whyno.reasons.classify import DEFAULT_BACKEND, Classifier
from whyno.reasons.embed import StaticEmbedder
from whyno.reasons.evaluate import evaluate, read_labelled
from whyno.reasons.taxonomy import Taxonomy, load_taxonomy
from whyno.reasons.themes import find_themes

app = typer.Typer(
    help="Why we lose: classify verbatims into the reason taxonomy.", no_args_is_help=True
)

BackendOpt = Annotated[
    str,
    typer.Option(
        help="Classifier backend: contextual (default), fast (static: TF-IDF and static "
        "embeddings, about 17 times faster) or semantic."
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model", help="Local sentence-transformers model path for the semantic backend."
    ),
]
TaxonomyOpt = Annotated[Path | None, typer.Option("--taxonomy", help="Team taxonomy YAML file.")]


def _classifier(
    ctx: typer.Context, backend: str, model: str | None, taxonomy: Taxonomy, team: bool
) -> Classifier:
    with err_console.status("Loading the reason model…"):
        return labels.classifier_for(
            open_store(ctx),
            settings(ctx),
            backend,
            taxonomy=taxonomy,
            team=team,
            model_path=model,
        )


def _lines(source: str) -> Iterator[str]:
    if source == "-":
        yield from (line.rstrip("\r\n") for line in sys.stdin)
        return
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{source}: no such file (give a file with one verbatim per line, or -)")
    with path.open(encoding="utf-8-sig") as handle:
        yield from (line.rstrip("\r\n") for line in handle)


@app.command("classify")
def classify_cmd(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="[FILE|-]", help="One verbatim per line.")] = "-",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    team: Annotated[
        bool, typer.Option("--team", help="Also learn from the catalog's corrections.")
    ] = False,
    backend: BackendOpt = DEFAULT_BACKEND,
    model: ModelOpt = None,
    taxonomy_file: TaxonomyOpt = None,
) -> None:
    """Classify verbatims (one per line) into reasons, in order."""
    taxonomy = load_taxonomy(taxonomy_file)
    classifier = _classifier(ctx, backend, model, taxonomy, team)
    texts = list(_lines(source))
    predictions = classifier.classify_batch(texts)
    if as_json:
        for p in predictions:
            sys.stdout.write(dumps(p) + "\n")
        return
    table = Table("verbatim", "reason", "lever", "confidence", "also")
    for p in predictions:
        reason = f"{p.category}{' [yellow](unsure)[/yellow]' if p.unsure else ''}"
        also = ", ".join(c for c in p.categories if c != p.category)
        table.add_row(escape(p.text), reason, p.lever, f"{p.confidence:.0%}", also)
    console.print(table)


@app.command("apply")
def apply_cmd(
    ctx: typer.Context,
    backend: BackendOpt = DEFAULT_BACKEND,
    model: ModelOpt = None,
    taxonomy_file: TaxonomyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Label every no that has a verbatim and no person's label (safe to re-run)."""
    taxonomy = load_taxonomy(taxonomy_file)
    classifier = _classifier(ctx, backend, model, taxonomy, team=True)
    store = open_store(ctx)
    with progress_bar(not as_json, "labelling") as tick:
        result = labels.apply_labels(store, classifier, progress=tick)
    if as_json:
        print_json(result)
        return
    console.print(
        f"Labelled {result.labelled} of {result.considered} no's "
        f"({result.from_picklist} from CRM picklist values, {result.unsure} unsure, "
        f"{result.no_reason} with no reason); {result.skipped_person} kept as people "
        "labelled them."
    )


@app.command("review")
def review_cmd(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many labels to review.")] = 20,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write the queue to a CSV to fill in.")
    ] = None,
    import_: Annotated[
        Path | None, typer.Option("--import", help="Read corrections from a filled-in CSV.")
    ] = None,
    taxonomy_file: TaxonomyOpt = None,
) -> None:
    """Correct the least certain labels: in a terminal, or as a CSV round trip."""
    taxonomy = load_taxonomy(taxonomy_file)
    store = open_store(ctx)
    if import_:
        count = _import_corrections(store, import_, taxonomy)
        console.print(
            f"Recorded {count} corrections. Run `whyno reasons apply` to relabel "
            "with the retrained team model."
        )
        return
    queue = labels.review_queue(store, limit)
    if export:
        _export_queue(queue, export)
        err_console.print(
            f"{len(queue)} labels written to {escape(str(export))}; fill in "
            "correct_category (ids separated by ;) and run "
            f"whyno reasons review --import {escape(str(export))}"
        )
        return
    if not sys.stdin.isatty():
        raise InputError(
            "review asks questions in a terminal; without one use --export FILE and --import FILE"
        )
    _interactive(store, queue, taxonomy)


def _export_queue(queue: list[labels.ReviewItem], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["no_id", "verbatim", "category", "confidence", "correct_category"])
        for item in queue:
            writer.writerow([item.no_id, item.verbatim, item.category, item.confidence, ""])


def _import_corrections(store: Any, path: Path, taxonomy: Taxonomy) -> int:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    wanted, problems = [], []
    for number, row in enumerate(rows, start=2):
        raw = (row.get("correct_category") or "").strip()
        if not raw:
            continue
        ids = [c.strip() for c in raw.replace(",", ";").split(";") if c.strip()]
        unknown = [c for c in ids if c not in taxonomy]
        no_id = (row.get("no_id") or "").strip()
        if unknown or not no_id.isdigit():
            what = f"unknown category {unknown[0]!r}" if unknown else f"bad no_id {no_id!r}"
            problems.append(f"row {number}: {what}")
            continue
        wanted.append((int(no_id), ids))
    if problems:
        raise InputError(
            f"{path}: {'; '.join(problems)}. Nothing was recorded. Valid "
            f"categories: {', '.join(taxonomy.ids)}"
        )
    for no_id, ids in wanted:
        labels.correct(store, no_id, ids, taxonomy=taxonomy)
    return len(wanted)


def _interactive(store: Any, queue: list[labels.ReviewItem], taxonomy: Taxonomy) -> None:
    ids = taxonomy.ids
    console.print("\n".join(f"  {i + 1:>2}. {c}" for i, c in enumerate(ids)))
    done = 0
    for item in queue:
        console.print(f"\n[bold]#{item.no_id}[/bold] {escape(item.verbatim)}")
        console.print(f"  model says [cyan]{item.category}[/cyan] ({item.confidence:.0%})")
        answer = Prompt.ask(
            "  Enter keeps it, a number or id corrects it, s skips, q quits",
            default="",
            show_default=False,
        ).strip()
        if answer == "q":
            break
        if answer == "s":
            continue
        choices = [a.strip() for a in answer.replace(",", " ").split()] or [item.category]
        picked = [ids[int(a) - 1] if a.isdigit() and 0 < int(a) <= len(ids) else a for a in choices]
        try:
            labels.correct(store, item.no_id, picked, taxonomy=taxonomy)
            done += 1
        except InputError as exc:
            err_console.print(f"  [red]{escape(str(exc))}[/red] (skipped)")
    console.print(f"\nRecorded {done} labels. Run `whyno reasons apply` to relabel with them.")


@app.command("themes")
def themes_cmd(
    ctx: typer.Context,
    k: Annotated[
        int | None, typer.Option(help="Number of clusters (default: from the data).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Group the verbatims the taxonomy does not explain into named themes."""
    store = open_store(ctx)
    texts = labels.unexplained_verbatims(store)
    themes = find_themes(StaticEmbedder(), texts, k=k)
    if as_json:
        print_json({"verbatims": len(texts), "themes": [t.__dict__ for t in themes]})
        return
    if not themes:
        console.print(f"No themes: {len(texts)} unexplained verbatims is too few to group.")
        return
    for theme in themes:
        console.print(
            f"\n[bold]{escape(theme.name)}[/bold] ({theme.size} no's) — "
            f"{escape(', '.join(theme.top_words))}"
        )
        for example in theme.examples:
            console.print(f"  • {escape(example)}")


@app.command("eval")
def eval_cmd(
    ctx: typer.Context,
    labelled: Annotated[
        Path, typer.Argument(metavar="LABELED.csv", help="CSV with columns text, category.")
    ],
    backend: BackendOpt = DEFAULT_BACKEND,
    model: ModelOpt = None,
    taxonomy_file: TaxonomyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Accuracy, per-category precision/recall/F1 and the confusions on a labelled set."""
    taxonomy = load_taxonomy(taxonomy_file)
    rows = read_labelled(labelled, taxonomy)
    result = evaluate(_classifier(ctx, backend, model, taxonomy, team=False), rows)
    if as_json:
        print_json(result)
        return
    console.print(
        f"{result.total} verbatims: accuracy {result.accuracy:.3f}, macro-F1 "
        f"{result.macro_f1:.3f} ({result.unsure} unsure; accuracy when sure "
        f"{result.accuracy_when_sure:.3f})"
    )
    table = Table("category", "precision", "recall", "F1", "support")
    for category, s in result.per_category.items():
        table.add_row(
            category, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.support)
        )
    console.print(table)
    if result.confusions:
        console.print("Most common confusions (true -> predicted):")
        for true, predicted, count in result.confusions[:10]:
            console.print(f"  {count:>3}  {true} -> {predicted}")


@app.command("taxonomy")
def taxonomy_cmd(
    taxonomy_file: TaxonomyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the taxonomy in use (and check a team's YAML file)."""
    taxonomy = load_taxonomy(taxonomy_file)
    if as_json:
        print_json(
            [
                {"id": c.id, "lever": c.lever, "label": c.label, "meaning": c.meaning}
                for c in taxonomy
            ]
        )
        return
    table = Table("id", "lever", "label", "meaning", title=f"taxonomy ({taxonomy.source})")
    for c in taxonomy:
        table.add_row(c.id, c.lever, escape(c.label), escape(c.meaning))
    console.print(table)
