"""bench/ is a package run as ``python -m bench.NAME``: every module imports with no
path tricks, and the register bench reads the training rows without torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHES = sorted(p for p in (ROOT / "bench").rglob("*.py") if p.name != "__init__.py")


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


@pytest.mark.parametrize("path", BENCHES, ids=lambda p: _module(p))
def test_a_bench_has_no_path_tricks(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "path":
            assert not (isinstance(node.value, ast.Name) and node.value.id == "sys"), (
                f"{path.relative_to(ROOT)}:{node.lineno}: sys.path is edited; import "
                "bench modules as bench.NAME and run them with python -m"
            )
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top = node.module.split(".")[0]
            siblings = {p.stem for p in BENCHES}
            assert top not in siblings, (
                f"{path.relative_to(ROOT)}:{node.lineno}: 'from {node.module}' only works "
                "with bench/ on sys.path; write 'from bench... import'"
            )


def test_every_bench_imports_as_a_module_and_training_rows_need_no_torch() -> None:
    names = [_module(p) for p in BENCHES]
    program = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "from scripts.training_data import corpus_items, seed_items\n"
        "rows = corpus_items(0.1)\n"
        "assert any(r.held_out for r in rows) and any(not r.held_out for r in rows)\n"
        "assert {r.task for r in rows} == {'buyer', 'reasons', 'seller'}\n"
        "assert seed_items()\n"
        "assert 'torch' not in sys.modules, 'a bench or the training rows imported torch'\n"
        "print('ok', len(rows))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok ")


def test_a_bench_runs_with_python_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.register_eval", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "--backends" in done.stdout
