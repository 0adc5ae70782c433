"""The docs are checked: every command documented, README examples run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from whyno.cli import app

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _commands() -> list[tuple[str, object]]:
    root = get_command(app)
    found: list[tuple[str, object]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found.extend((f"{name} {sub}", cmd) for sub, cmd in subcommands.items())
        else:
            found.append((name, command))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: str(v))
def test_every_command_has_help_and_a_docs_entry(
    name: str, command: typer.core.TyperCommand
) -> None:
    assert command.help and len(command.help) > 20
    assert f"## whyno {name}\n" in (DOCS / "cli.md").read_text(encoding="utf-8")


def test_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick, re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block[1].splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_python_api_example_runs() -> None:
    text = (DOCS / "python.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert code is not None
    exec(compile(code[1], "docs/python.md", "exec"), {})


def test_linked_docs_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(((?:docs|bench)/[^)#]+)", readme):
        assert (ROOT / target).exists(), target


def test_model_docs_example_prints_what_the_docs_say(capsys: pytest.CaptureFixture[str]) -> None:
    text = (DOCS / "model.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert code is not None
    exec(compile(code[1], "docs/model.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    shown = [line[2:] for line in code[1].splitlines() if line.startswith("# ")]
    assert printed == shown
