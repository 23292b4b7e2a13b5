"""The command line of one benchmark module (``python -m benchmarks.bench_NAME``).

Each module's full run can take minutes, so ``--help`` (and any flag it does not know) must
answer at once instead of starting it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

Main = Callable[..., dict[str, float | str]]


def run(main: Main, doc: str | None, module: str, argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run ``main(quick=...)`` and print its figures, one ``key: value`` a line."""
    parser = argparse.ArgumentParser(
        prog=f"python -m benchmarks.{module}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="`make bench` (python -m benchmarks) runs every benchmark and writes "
        "out/bench.json.",
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)
    for key, value in main(quick=args.quick).items():
        print(f"{key}: {value}", flush=True)
    return 0
