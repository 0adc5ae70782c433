"""The curated public API: every name under ``whyno.__all__`` loads and is documented in
docs/python.md, and docs/python.md teaches only those names."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import whyno

DOCS = Path(__file__).parent.parent / "docs" / "python.md"


def _documented() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    # whyno.NAME, but not a file name such as "whyno.db"
    return set(re.findall(r"(?<![\"/\w])whyno\.([A-Za-z_][A-Za-z0-9_]*)", text)) - {"__all__"}


@pytest.mark.parametrize("name", sorted(whyno.__all__))
def test_every_public_name_loads_and_is_documented(name: str) -> None:
    assert getattr(whyno, name) is not None
    assert name in _documented(), f"whyno.{name} is public but docs/python.md does not teach it"


def test_the_docs_use_only_public_names() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert not re.search(r"from whyno[.\w]* import|import whyno\.", text)
    unknown = _documented() - set(whyno.__all__)
    assert unknown == set(), f"docs/python.md uses names that are not public: {unknown}"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = whyno.nope  # type: ignore[attr-defined]


def test_import_whyno_is_light() -> None:
    """The server, the analysis and the models load on first use, not on import."""
    code = (
        "import sys, whyno; "
        "print(sorted(m for m in ('fastapi', 'numpy', 'onnxruntime', 'whyno.web') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
