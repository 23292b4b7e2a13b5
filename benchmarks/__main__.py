"""Run every ``benchmarks/bench_*.py`` module and print its figures.

Each module defines ``main(quick: bool = False) -> dict[str, float | str]``; the runner
prints the figures and writes them all to ``out/bench.json`` so the README can quote them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import platform
import sys
from pathlib import Path

import benchmarks
from ltpgap._cpus import usable_cpus


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="run only these (e.g. rollup merge)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--out", default="out/bench.json")
    args = parser.parse_args()
    results: dict[str, dict[str, float | str]] = {}
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if not info.name.startswith("bench_"):
            continue
        short = info.name.removeprefix("bench_")
        if args.names and short not in args.names:
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        print(f"== {short}", flush=True)
        figures = module.main(quick=args.quick)
        for key, value in figures.items():
            print(f"   {key}: {value}")
        results[short] = figures
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    results["_machine"] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": str(usable_cpus()),
    }
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
