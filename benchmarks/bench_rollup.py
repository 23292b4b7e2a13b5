"""Roll-up benchmark (issue 3): 42 ICSs × 5 places × 500 commitments → 7 regions → national.

The catalogue and the place RAGs are synthesised in code with a fixed seed, so the figure is
repeatable and needs no shipped file. Timed: all 42 ICS roll-ups, the 7 regional roll-ups and
the national roll-up, end to end, over at least 7 repeats.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ltpgap.catalogue import Catalogue, CatalogueInfo, Commitment, ProgrammeArea, Provenance
from ltpgap.ics import IcsConfig, Place
from ltpgap.rag import IcsRollup, rollup_ics, rollup_region
from ltpgap.schema import RAG_VALUES

SEED = 20190107  # the LTP's publication date
N_ICS, N_PLACES, N_COMMITMENTS, N_REGIONS = 42, 5, 500, 7
_AREAS = ("prevention", "primary_out_of_hospital", "maternity_cyp", "major_conditions")
_LEVELS = ("place", "ics", "region", "national")


def synthetic_catalogue(n: int = N_COMMITMENTS, seed: int = SEED) -> Catalogue:
    """A valid in-memory catalogue of ``n`` commitments across chapters, levels and must-dos."""
    rng = np.random.default_rng(seed)
    levels = rng.choice(_LEVELS, size=n, p=[0.8, 0.12, 0.05, 0.03])
    commitments = tuple(
        Commitment(
            id=f"{1 + i % 7}.{1 + i // 7}",
            chapter=1 + i % 7,
            section="Synthetic",
            programme_area=_AREAS[i % len(_AREAS)],
            life_course="living_well",
            title=f"Synthetic commitment {i}",
            commitment="A synthetic commitment for the benchmark.",
            deadline="2023/24",
            due=date(2024, 3, 31),
            must_do=bool(rng.random() < 0.3),
            level=str(levels[i]),  # type: ignore[arg-type]
            provenance=Provenance(para_verified=False, source="benchmark"),
        )
        for i in range(n)
    )
    return Catalogue(
        info=CatalogueInfo(id="bench", version="1.0.0", title="Benchmark", source="synthetic"),
        programme_areas=tuple(ProgrammeArea(id=a, name=a) for a in _AREAS),
        life_course=("starting_well", "living_well", "ageing_well"),
        headline_metrics=(),
        commitments=commitments,
        content_hash="sha256:bench",
    )


def synthetic_system(catalogue: Catalogue, n_ics: int, n_places: int, seed: int = SEED) -> Any:
    """ICS configs with random populations, and random place and ICS-team RAGs for each."""
    rng = np.random.default_rng(seed + 1)
    rags = np.array(RAG_VALUES, dtype=object)
    p = [0.35, 0.3, 0.2, 0.1, 0.05]
    ids = np.array(catalogue.ids, dtype=object)
    systems = []
    for k in range(n_ics):
        places = tuple(
            Place(id=f"p{k}_{j}", name=f"Place {j}", population=int(rng.integers(80_000, 600_000)))
            for j in range(n_places)
        )
        ics = IcsConfig(id=f"ics{k:02d}", name=f"ICS {k}", places=places)
        place_rags = pd.DataFrame(
            {
                "place": np.repeat([pl.id for pl in places], len(ids)),
                "para": np.tile(ids, n_places),
                "rag": rags[rng.choice(5, size=n_places * len(ids), p=p)],
            }
        )
        ics_rags = pd.DataFrame({"para": ids, "rag": rags[rng.choice(5, size=len(ids), p=p)]})
        systems.append((ics, place_rags, ics_rags))
    return systems


def full_rollup(catalogue: Catalogue, systems: Any, n_regions: int) -> IcsRollup:
    """Every ICS roll-up, then regions, then national."""
    results = {
        ics.id: rollup_ics(catalogue, place_rags, ics=ics, ics_rags=ics_rags)
        for ics, place_rags, ics_rags in systems
    }
    populations = {ics.id: ics.population for ics, _, _ in systems}
    ids = list(results)
    regions: dict[str, IcsRollup] = {}
    region_pop: dict[str, int] = {}
    for r in range(n_regions):
        members = ids[r::n_regions]
        regions[f"region{r}"] = rollup_region(
            catalogue,
            {i: results[i] for i in members},
            {i: populations[i] for i in members},
            region_id=f"region{r}",
        )
        region_pop[f"region{r}"] = sum(populations[i] for i in members)
    return rollup_region(catalogue, regions, region_pop, unit_label="region", region_id="england")


def main(quick: bool = False) -> dict[str, float | str]:
    """Time the full roll-up; return median and min seconds and the sizes."""
    n_ics, repeats = (8, 3) if quick else (N_ICS, 9)
    catalogue = synthetic_catalogue()
    systems = synthetic_system(catalogue, n_ics, N_PLACES)
    national = full_rollup(catalogue, systems, N_REGIONS)  # warm-up (imports, caches)
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        national = full_rollup(catalogue, systems, N_REGIONS)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    counts = national.rag_counts()
    return {
        "ics": n_ics,
        "places_per_ics": N_PLACES,
        "commitments": len(catalogue),
        "regions": N_REGIONS,
        "place_rags": n_ics * N_PLACES * len(catalogue),
        "repeats": repeats,
        "median_s": round(statistics.median(times), 4),
        "min_s": round(min(times), 4),
        # CPU time of this process: what the roll-up costs when the machine is shared.
        "median_cpu_s": round(statistics.median(cpu), 4),
        "national_counts": ", ".join(f"{k} {v}" for k, v in counts.items()),
    }


if __name__ == "__main__":
    from benchmarks._cli import run

    raise SystemExit(run(main, __doc__, "bench_rollup"))
