"""Two `ltpgap merge` processes recording into one store at the same moment: both recorded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from histkit import V1, copy_books, set_rags

from ltpgap.store import open_store

#: Two ICS leads merge different places into different ICS workbooks, one shared store.
HALVES = {"north": ("bedford", "luton"), "south": ("central_beds", "milton_keynes")}


def test_two_concurrent_merges_are_both_recorded(
    tmp_path: Path, blanks: dict[str, Path], db: str
) -> None:
    books = copy_books(blanks, tmp_path / "returns")
    for unit, rag in (("bedford", "Green"), ("luton", "Red"), ("central_beds", "Amber")):
        set_rags(books[unit], {"1.8": rag})
    env = {**os.environ, "COLUMNS": "200"}
    procs = {
        who: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ltpgap",
                "merge",
                *(str(books[u]) for u in units),
                "--out",
                str(tmp_path / f"{who}.xlsx"),
                "--catalogue",
                str(V1),
                "--db",
                db,
                "--who",
                who,
                "--quiet",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for who, units in HALVES.items()
    }
    outputs = {who: p.communicate(timeout=120) for who, p in procs.items()}
    for who, proc in procs.items():
        assert proc.returncode == 0, outputs[who]
        assert "snapshot-recorded" in outputs[who][0], outputs[who]
    with open_store(db) as store:
        shots = store.snapshots("blmk")
        assert sorted(s.seq for s in shots) == [1, 2]
        assert sorted(s.who for s in shots) == ["north", "south"]
        history = store.history("blmk")
    recorded = {
        who: set(history[history["snapshot"] == s.seq]["place"]) for s in shots for who in [s.who]
    }
    assert recorded == {"north": set(HALVES["north"]), "south": set(HALVES["south"])}
    # whichever came second saw the first: its History sheet compares with it
    second = next(s.who for s in shots if s.seq == 2)
    first = next(s.who for s in shots if s.seq == 1)
    assert "Snapshot 2" in outputs[second][0] and "Snapshot 1" in outputs[first][0]
