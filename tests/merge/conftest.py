"""Fixtures for the merge tests: the small catalogue, BLMK, and blank workbooks built once."""

from __future__ import annotations

from pathlib import Path

import pytest
from mergekit import blank_books, blmk, catalogue_v1

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig


@pytest.fixture(scope="session")
def cat1() -> Catalogue:
    """tests/data/catalogue-v1.yaml."""
    return catalogue_v1()


@pytest.fixture(scope="session")
def ics() -> IcsConfig:
    """BLMK: four places and the ICS team."""
    return blmk()


@pytest.fixture(scope="session")
def blanks(
    tmp_path_factory: pytest.TempPathFactory, cat1: Catalogue, ics: IcsConfig
) -> dict[str, Path]:
    """Blank workbooks (four places + ICS team) from the small catalogue; copy before use."""
    return blank_books(tmp_path_factory.mktemp("blank-books"), cat1, ics)
