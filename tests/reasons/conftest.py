"""One trained default classifier for the reasons tests (training takes seconds).

The model cache lives in <home>/cache, so CLI runs with WHYNO_HOME=<home> reuse it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from whyno.reasons.classify import Classifier, make_classifier


@pytest.fixture(scope="session")
def whyno_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="session")
def model_cache(whyno_home: Path) -> Path:
    return whyno_home / "cache"


@pytest.fixture(scope="session")
def classifier(model_cache: Path) -> Classifier:
    return make_classifier(cache_dir=model_cache)
