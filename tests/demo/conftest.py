"""Demo fixtures: the illustrative inputs of rounds 1 and 2, run through the real §5 rules."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pytest

from ltpgap.catalogue import Catalogue
from ltpgap.demo.illustrative import ILLUSTRATIVE, illustrative_round
from ltpgap.ics import IcsConfig
from ltpgap.rag import assess


def assessed(
    inputs: Mapping[str, Mapping[str, Mapping[str, object]]],
    catalogue: Catalogue,
    ics: IcsConfig,
) -> pd.DataFrame:
    """``ltpgap.rag.assess`` over every unit's rows (place, para, rag, reason, rule, checks)."""
    rows = [{"place": u, "para": p, **v} for u, units in inputs.items() for p, v in units.items()]
    return assess(pd.DataFrame(rows), catalogue, ics)


@pytest.fixture(scope="session")
def round_two() -> dict[str, dict[str, dict[str, object]]]:
    """The second illustrative submission."""
    return illustrative_round(2)


@pytest.fixture(scope="session")
def first(catalogue: Catalogue, blmk: IcsConfig) -> pd.DataFrame:
    """Round 1 (ILLUSTRATIVE) assessed, with each commitment's level and programme area."""
    return _with_catalogue(assessed(ILLUSTRATIVE, catalogue, blmk), catalogue)


@pytest.fixture(scope="session")
def second(
    catalogue: Catalogue, blmk: IcsConfig, round_two: dict[str, dict[str, dict[str, object]]]
) -> pd.DataFrame:
    """Round 2 assessed, like :func:`first`."""
    return _with_catalogue(assessed(round_two, catalogue, blmk), catalogue)


def _with_catalogue(frame: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    info = pd.DataFrame(
        {
            "para": [c.id for c in catalogue],
            "level": [c.level for c in catalogue],
            "programme_area": [c.programme_area for c in catalogue],
            "section": [c.section for c in catalogue],
            "must_do": [c.must_do for c in catalogue],
        }
    )
    out = frame.merge(info, on="para", how="left", validate="many_to_one")
    out.attrs = frame.attrs
    return out
