"""Every folder of whyno imports only the folders below it (README, "Layout").

A newcomer reads the house from the bottom up; an import that runs back up
(the store of no's importing the coach, ingest importing the no's that import
ingest) is how one concern starts to live in two places.
"""

from __future__ import annotations

import ast
from pathlib import Path

import whyno

# Low to high; a module may import its own layer and those below it.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "config", "stats", "encoding"}),
    frozenset({"store", "values"}),  # values parses into the store's enums
    frozenset({"accounts"}),
    frozenset({"nos"}),
    frozenset({"ingest", "contextual"}),
    frozenset({"reasons"}),
    frozenset({"coach", "trends", "followup", "brief"}),
    frozenset({"report"}),
    frozenset({"demo"}),
    frozenset({"web"}),
    frozenset({"cli", "__main__"}),
)
ROOT = Path(whyno.__file__).parent


def _layer(part: str) -> int:
    for height, names in enumerate(LAYERS):
        if part in names:
            return height
    raise AssertionError(f"whyno.{part} has no layer in tests/test_layers.py; give it one")


def _imported(path: Path) -> set[str]:
    """The top-level whyno folders or modules that ``path`` imports (at any depth)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "whyno":
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "whyno" and len(parts) > 1:
                    found.add(parts[1])
    return found


def test_no_import_runs_back_up() -> None:
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts == ("__init__.py",):
            continue  # the public API re-exports from every layer
        home = relative.parts[0].removesuffix(".py")
        for target in _imported(path) - {home, "__version__"}:
            if _layer(target) > _layer(home):
                upward.append(f"{relative} imports whyno.{target}")
    assert upward == []


def test_the_layers_are_checked() -> None:
    """The check above reads real imports: the coach imports the reasons, the store nothing."""
    coach = _imported(ROOT / "coach" / "analyze.py")
    assert "reasons" in coach
    assert _layer("reasons") < _layer("coach")
    assert not _imported(ROOT / "errors.py")
