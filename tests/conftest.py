"""Shared fixtures: the shipped catalogue and the embedded BLMK ICS."""

from __future__ import annotations

import pytest

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.ics import IcsConfig, load_ics


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The shipped commitments.yaml, loaded once per test session."""
    return load_catalogue()


@pytest.fixture(scope="session")
def blmk() -> IcsConfig:
    """The embedded BLMK ICS configuration."""
    return load_ics()
