"""The merge and the roll-up run with the cyclic garbage collector paused, and put it back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from mergekit import copy_books

import ltpgap.merge._record as record
import ltpgap.merge.merge as merging
import ltpgap.merge.rollup as rollup
from ltpgap._gc import collector_paused
from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig
from ltpgap.issues import LtpgapError
from ltpgap.merge import merge_workbooks, rollup_workbooks
from ltpgap.merge._collect import default_reader
from ltpgap.workbook import PlaceWorkbook


@pytest.fixture(params=[True, False], ids=["collector-on", "collector-off"])
def collector(request: pytest.FixtureRequest) -> Iterator[bool]:
    """The collector's state before the call under test (restored after the test)."""
    running = gc.isenabled()
    (gc.enable if request.param else gc.disable)()
    try:
        yield request.param
    finally:
        (gc.enable if running else gc.disable)()


@pytest.mark.parametrize("fails", [False, True], ids=["returns", "raises"])
def test_paused_inside_restored_after(collector: bool, fails: bool) -> None:
    seen = []
    with pytest.raises(RuntimeError) if fails else nullcontext(), collector_paused():
        seen.append(gc.isenabled())
        with collector_paused():  # nested: the inner block leaves it paused
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())
        if fails:
            raise RuntimeError("boom")
    assert seen == [False, False, False]
    assert gc.isenabled() is collector


@pytest.fixture
def places(blanks: dict[str, Path], ics: IcsConfig, tmp_path: Path) -> list[Path]:
    """Copies of the four blank place workbooks."""
    books = copy_books(blanks, tmp_path)
    return [books[p] for p in ics.place_ids]


def _watch_writes(module: object, seen: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """Note whether the collector runs each time ``module`` writes an ICS workbook."""
    write = module.write_ics_workbook  # type: ignore[attr-defined]

    def spy(content: object, path: Path) -> Path:
        seen.append(gc.isenabled())
        return write(content, path)

    monkeypatch.setattr(module, "write_ics_workbook", spy)


@pytest.mark.parametrize("recorded", [False, True], ids=["merge", "merge-and-record"])
def test_merge_reads_and_writes_paused(
    collector: bool,
    recorded: bool,
    places: list[Path],
    cat1: Catalogue,
    ics: IcsConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def reader(path: Path, catalogue: Catalogue) -> PlaceWorkbook:
        seen.append(gc.isenabled())
        return default_reader(path, catalogue)

    # merge_and_record merges without writing, records, then writes the workbook itself
    _watch_writes(record if recorded else merging, seen, monkeypatch)
    out = places[0].with_name("ICS.xlsx")
    options: dict[str, Any] = {"catalogue": cat1, "ics": ics, "jobs": 1, "reader": reader}
    result = (
        record.merge_and_record(places, out=out, store=None, **options).result
        if recorded
        else merge_workbooks(places, out=out, **options)
    )
    assert result.written and seen == [False] * (len(places) + 1)
    assert gc.isenabled() is collector


def test_rollup_restores_the_collector_when_it_refuses(
    collector: bool, cat1: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def read(
        paths: object, out: object, progress: object
    ) -> tuple[list[object], list[object], list[object]]:
        seen.append(gc.isenabled())
        return [], [], []

    monkeypatch.setattr(rollup, "_read", read)
    with pytest.raises(LtpgapError):
        rollup_workbooks([], out=tmp_path / "region.xlsx", catalogue=cat1)
    assert seen == [False]
    assert gc.isenabled() is collector
