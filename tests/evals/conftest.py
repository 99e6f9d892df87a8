"""Fixtures the eval tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coworker.config import get_settings


@pytest.fixture
def eval_cli_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """`coworker eval` run in-process keeps its data in the test's own directory."""
    monkeypatch.setenv("COWORKER_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
