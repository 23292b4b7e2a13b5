"""Invariants of migration (SPEC §8), for random catalogues, edits and filled-in rows.

The scenario generator knows the truth — which old commitments each new one comes from — so
the plan is checked against it rather than against itself. Then, whatever the order of the
rows: every non-blank input is still present (in its row or in Retired), and no input lands
on a commitment that does not descend from the one it was typed against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from migration_factory import catalogue, commitment

from ltpgap.catalogue import Catalogue
from ltpgap.catalogue.migration import (
    CHOICE_KEYS,
    apply_plan,
    format_value,
    is_blank,
    plan_migration,
)
from ltpgap.schema import INPUT_KEYS, STATUS_VALUES

POOL = tuple(f"{ch}.{n}" for ch in range(1, 8) for n in range(1, 25))
EXTRA = "Local priority"
COLUMNS = (*INPUT_KEYS, EXTRA)
TEXT = tuple(k for k in COLUMNS if k not in CHOICE_KEYS)
EDITS = ("keep", "keep", "reword", "remove", "renumber", "split", "split-keep", "merge")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass
class Scenario:
    old: Catalogue
    new: Catalogue
    truth: dict[str, tuple[str, ...]]  # new id -> the old ids it descends from
    inputs: pd.DataFrame


values = st.one_of(
    st.none(),
    st.sampled_from(
        ["", "  ", *STATUS_VALUES, "Full", "Partial", "Yes", "G", "2023/24", "Q4 24/25"]
    ),
    st.text(alphabet="abc xyz;[]", min_size=1, max_size=8),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)),
    st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2030, 12, 31)),
    st.integers(-5, 3000),
    st.floats(-10, 10, allow_nan=False, allow_infinity=False),
)


@st.composite
def scenarios(draw: st.DrawFn, *, tagged: bool = False) -> Scenario:
    """A random edit of a random catalogue, and filled rows in random order.

    ``tagged``: every text input ends with ``<para>`` naming the row it was typed in.
    """
    pool = list(draw(st.permutations(POOL)))
    n_old = draw(st.integers(1, 12))
    old_ids, fresh = pool[:n_old], iter(pool[n_old:])
    edits = draw(st.lists(st.sampled_from(EDITS), min_size=n_old, max_size=n_old))
    vacated = [o for o, e in zip(old_ids, edits, strict=True) if e in ("remove", "renumber")]
    new, truth = [], {}

    def add(nid: str, olds: tuple[str, ...], explicit: bool = True, **kw: object) -> None:
        new.append(commitment(nid, replaces=olds if explicit else (), **kw))  # type: ignore[arg-type]
        truth[nid] = olds

    pending: str | None = None
    for oid, edit in zip(old_ids, edits, strict=True):
        if edit == "keep" or (edit == "merge" and oid == old_ids[-1] and pending is None):
            add(oid, (oid,), explicit=False)
        elif edit == "reword":
            add(oid, (oid,), explicit=False, title="Reworded", deadline="2025/26")
        elif edit == "renumber":
            # Sometimes onto an id the old catalogue used for something that has gone.
            spare = [v for v in vacated if v != oid and v not in truth]
            target = draw(st.sampled_from(spare)) if spare and draw(st.booleans()) else next(fresh)
            add(target, (oid,))
        elif edit in ("split", "split-keep"):
            parts = [next(fresh) for _ in range(draw(st.integers(2, 3)))]
            if edit == "split-keep":
                parts[0] = oid
            for nid in parts:
                add(nid, (oid,))
        elif edit == "merge" and pending is None:
            pending = oid
        elif edit == "merge" and pending is not None:
            add(draw(st.sampled_from([pending, oid, next(fresh)])), (pending, oid))
            pending = None
    if pending is not None:
        add(pending, (pending,), explicit=False)
    for _ in range(draw(st.integers(0, 2))):
        add(next(fresh), (), explicit=False)
    new = draw(st.permutations(new))

    rows = []
    for oid in old_ids:
        if draw(st.integers(0, 9)) < 8:
            row = {k: draw(values) for k in COLUMNS}
            if tagged:
                row |= {k: f"{format_value(row[k])}<{oid}>" for k in TEXT if not is_blank(row[k])}
            rows.append({"para": oid, **row})
    if draw(st.booleans()):  # a row the catalogue never had, and one without a Para
        rows.append({"para": next(fresh), "lead": "stray", EXTRA: draw(values)})
        rows.append({"para": None, "evidence": "orphan"})
    rows = draw(st.permutations(rows))
    inputs = pd.DataFrame(rows, columns=["para", *COLUMNS], dtype=object)
    return Scenario(
        old=catalogue(*(commitment(o) for o in old_ids)),
        new=catalogue(*new, version="2.0.0"),
        truth=truth,
        inputs=inputs,
    )


def _records(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {str(r["para"]): r for r in frame.to_dict("records")}


def _filled(row: dict[str, object]) -> list[tuple[str, object]]:
    return [(k, row.get(k)) for k in COLUMNS if not is_blank(row.get(k))]


@given(scenarios())
@SETTINGS
def test_the_plan_follows_replaces(s: Scenario) -> None:
    plan = plan_migration(s.old, s.new)
    assert dict(plan.predecessors) == s.truth
    assert plan.issues == ()
    descendants = {o: tuple(n for n in s.new.ids if o in s.truth[n]) for o in s.old.ids}
    assert dict(plan.successors) == descendants


@given(scenarios())
@SETTINGS
def test_no_input_is_lost(s: Scenario) -> None:
    result = apply_plan(plan_migration(s.old, s.new), s.inputs)
    after = _records(result.rows)
    assert list(after) == list(s.new.ids)
    retired = result.retired.to_dict("records")
    for before in s.inputs.to_dict("records"):
        para = "" if is_blank(before["para"]) else str(before["para"])
        heirs = [n for n in s.new.ids if para in s.truth[n]]
        for key, value in _filled(before):
            if not heirs:
                assert any(r["para"] == para and r[key] is value for r in retired), (para, key)
            for heir in heirs:
                row = after[heir]
                if len(s.truth[heir]) == 1:
                    assert row[key] is value, (para, heir, key)
                else:
                    shown = format_value(value)
                    kept = format_value(row[key]) if not is_blank(row[key]) else ""
                    assert shown in kept or f"'{shown}'" in str(row["evidence"]), (heir, key)


_NOTE_PARAS = re.compile(r"(?:: |, )([0-9]+\.[0-9]+[a-z]?) (?:'|blank)")


@given(scenarios(tagged=True))
@SETTINGS
def test_inputs_only_reach_descendants(s: Scenario) -> None:
    result = apply_plan(plan_migration(s.old, s.new), s.inputs)
    before = _records(s.inputs[~s.inputs["para"].isna()])
    for heir, row in _records(result.rows).items():
        sources = [before[p] for p in s.truth[heir] if p in before]
        for key, value in _filled(row):
            assert sources, f"{heir} is new but got {key}={value!r}"
            if len(s.truth[heir]) == 1:
                assert value is sources[0][key]
            elif key in CHOICE_KEYS:
                assert format_value(value) in {format_value(src[key]) for src in sources}
            else:
                origins = set(re.findall(r"<([^<>]*)>", str(value)))
                origins |= set(_NOTE_PARAS.findall(str(value))) if key == "evidence" else set()
                assert origins and origins <= set(s.truth[heir]), (heir, key, value)


@given(scenarios())
@SETTINGS
def test_row_order_does_not_matter(s: Scenario) -> None:
    plan = plan_migration(s.old, s.new)
    shuffled = s.inputs.iloc[::-1].reset_index(drop=True)
    first, second = apply_plan(plan, s.inputs), apply_plan(plan, shuffled)
    pd.testing.assert_frame_equal(first.rows, second.rows)
    key = ["para", "reason"]
    pd.testing.assert_frame_equal(
        first.retired.sort_values(key, kind="stable").reset_index(drop=True),
        second.retired.sort_values(key, kind="stable").reset_index(drop=True),
    )
