"""Fixtures for the RAG tests: small catalogues built in the test."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from ragkit import SMALL, catalogue_yaml

from ltpgap.catalogue import Catalogue, load_catalogue


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """Seven commitments across levels, must-dos and deadlines, loaded from YAML."""
    path = tmp_path_factory.mktemp("cat") / "commitments.yaml"
    path.write_text(catalogue_yaml(SMALL))
    return load_catalogue(path)


CatalogueFactory = Callable[[Sequence[tuple[str, str, str, bool, str]]], Catalogue]


@pytest.fixture
def catalogue_from(tmp_path: Path) -> CatalogueFactory:
    """Build and load a catalogue YAML with the given rows."""

    def build(rows: Sequence[tuple[str, str, str, bool, str]]) -> Catalogue:
        path = tmp_path / "commitments.yaml"
        path.write_text(catalogue_yaml(rows))
        return load_catalogue(path)

    return build
