from __future__ import annotations

from pathlib import Path

import pytest

from whyno.reasons.classify import Classifier, make_classifier


@pytest.fixture(scope="session")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    cache: Path = tmp_path_factory.mktemp("coach-model")
    return make_classifier(cache_dir=cache)
