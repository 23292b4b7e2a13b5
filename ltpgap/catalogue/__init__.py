"""The LTP commitments catalogue: model, safe loader and (later) migration plans. Pure."""

from ltpgap.catalogue.loader import check_catalogue, default_catalogue_path, load_catalogue
from ltpgap.catalogue.model import (
    LEVELS,
    LIFE_COURSE_NAMES,
    Catalogue,
    CatalogueInfo,
    Commitment,
    HeadlineMetric,
    Level,
    ProgrammeArea,
    Provenance,
    para_sort_key,
)

__all__ = [
    "LEVELS",
    "LIFE_COURSE_NAMES",
    "Catalogue",
    "CatalogueInfo",
    "Commitment",
    "HeadlineMetric",
    "Level",
    "ProgrammeArea",
    "Provenance",
    "check_catalogue",
    "default_catalogue_path",
    "load_catalogue",
    "para_sort_key",
]
