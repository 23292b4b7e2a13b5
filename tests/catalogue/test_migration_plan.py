"""The migration plan between two catalogue versions: one table row per kind of change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from migration_factory import catalogue, commitment

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.catalogue.migration import KINDS, Change, plan_migration

DATA = Path(__file__).resolve().parents[1] / "data"
C = commitment

# (case, old commitments, new commitments, expected (kind, old_ids, new_ids, fields) in order)
CASES = [
    ("unchanged", [C("2.9")], [C("2.9")], [("unchanged", ("2.9",), ("2.9",), ())]),
    (
        "reworded",
        [C("2.9")],
        [C("2.9", title="New words", deadline="2024/25")],
        [("reworded", ("2.9",), ("2.9",), ("title", "deadline"))],
    ),
    (
        "added",
        [C("2.9")],
        [C("2.9"), C("2.10")],
        [
            ("unchanged", ("2.9",), ("2.9",), ()),
            ("added", (), ("2.10",), ()),
        ],
    ),
    (
        "retired",
        [C("2.9"), C("4.1")],
        [C("2.9")],
        [
            ("unchanged", ("2.9",), ("2.9",), ()),
            ("retired", ("4.1",), (), ()),
        ],
    ),
    (
        "renumbered",
        [C("3.10")],
        [C("3.11", replaces=("3.10",))],
        [("renumbered", ("3.10",), ("3.11",), ())],
    ),
    (
        "renumbered and reworded",
        [C("3.10")],
        [C("3.11", replaces=("3.10",), title="Continuity of carer")],
        [("renumbered", ("3.10",), ("3.11",), ("title",))],
    ),
    (
        "split",
        [C("3.52")],
        [C("3.52a", replaces=("3.52",)), C("3.52b", replaces=("3.52",))],
        [("split", ("3.52",), ("3.52a", "3.52b"), ())],
    ),
    (
        "split keeping the id",
        [C("2.9")],
        [C("2.9", replaces=("2.9",)), C("2.9a", replaces=("2.9",))],
        [("split", ("2.9",), ("2.9", "2.9a"), ())],
    ),
    (
        "merged, in replaces order",
        [C("2.15"), C("2.16")],
        [C("2.15", replaces=("2.16", "2.15"))],
        [("merged", ("2.16", "2.15"), ("2.15",), ())],
    ),
    (
        "a shifted run of paragraphs",
        [C("3.10"), C("3.11")],
        [C("3.11", replaces=("3.10",)), C("3.12", replaces=("3.11",))],
        [
            ("renumbered", ("3.10",), ("3.11",), ()),
            ("renumbered", ("3.11",), ("3.12",), ()),
        ],
    ),
    (
        "two paragraphs swapped",
        [C("3.10"), C("3.11")],
        [C("3.10", replaces=("3.11",)), C("3.11", replaces=("3.10",))],
        [
            ("renumbered", ("3.11",), ("3.10",), ()),
            ("renumbered", ("3.10",), ("3.11",), ()),
        ],
    ),
    (
        "restructured",
        [C("2.1"), C("2.2")],
        [C("2.5", replaces=("2.1", "2.2")), C("2.6", replaces=("2.2",))],
        [("restructured", ("2.1", "2.2"), ("2.5", "2.6"), ())],
    ),
    (
        "new order, retired last",
        [C("1.1"), C("1.2"), C("1.3")],
        [C("1.3"), C("1.0"), C("1.1")],
        [
            ("unchanged", ("1.3",), ("1.3",), ()),
            ("added", (), ("1.0",), ()),
            ("unchanged", ("1.1",), ("1.1",), ()),
            ("retired", ("1.2",), (), ()),
        ],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_change_kinds(old: list, new: list, expected: list) -> None:
    plan = plan_migration(catalogue(*old), catalogue(*new, version="2.0.0"))
    assert [(c.kind, c.old_ids, c.new_ids, c.fields) for c in plan.changes] == expected
    assert plan.issues == ()
    assert plan.has_changes == any(kind != "unchanged" for kind, *_ in expected)


def test_successors_and_predecessors_agree() -> None:
    old = catalogue(C("2.15"), C("2.16"), C("3.52"), C("4.1"))
    new = catalogue(
        C("2.15", replaces=("2.15", "2.16")),
        C("3.52a", replaces=("3.52",)),
        C("3.52b", replaces=("3.52",)),
        C("5.1"),
    )
    plan = plan_migration(old, new)
    assert dict(plan.predecessors) == {
        "2.15": ("2.15", "2.16"),
        "3.52a": ("3.52",),
        "3.52b": ("3.52",),
        "5.1": (),
    }
    assert dict(plan.successors) == {
        "2.15": ("2.15",),
        "2.16": ("2.15",),
        "3.52": ("3.52a", "3.52b"),
        "4.1": (),
    }


def test_unknown_replaces_is_reported_and_inherits_nothing() -> None:
    old = catalogue(C("3.10"))
    new = catalogue(C("3.11", replaces=("3.99",)), version="2.0.0")
    plan = plan_migration(old, new)
    assert [(i.code, i.commitment) for i in plan.issues] == [("unknown-replaces", "3.11")]
    assert "'3.99'" in plan.issues[0].message and "test 1.0.0" in plan.issues[0].message
    # Nothing is guessed: 3.11 starts blank and the old 3.10 retires with its inputs.
    assert [(c.kind, c.old_ids, c.new_ids) for c in plan.changes] == [
        ("added", (), ("3.11",)),
        ("retired", ("3.10",), ()),
    ]


def test_replaces_naming_an_older_version_is_history() -> None:
    # 3.11 came from 3.10 two versions ago; against the version that already has 3.11 the
    # stale replaces is ignored, silently, and 3.11 continues itself.
    old = catalogue(C("3.11"), C("2.15"))
    new = catalogue(C("3.11", replaces=("3.10",)), C("2.15", replaces=("2.15", "2.16")))
    plan = plan_migration(old, new)
    assert plan.issues == ()
    assert not plan.has_changes


def test_a_reused_id_without_replaces_starts_blank_and_is_reported() -> None:
    # The old 3.10 moved to 3.11; a brand-new commitment took the number 3.10.
    old = catalogue(C("3.10"))
    new = catalogue(C("3.10", title="Something new"), C("3.11", replaces=("3.10",)))
    plan = plan_migration(old, new)
    assert plan.predecessors["3.10"] == ()
    assert plan.successors["3.10"] == ("3.11",)
    assert [(i.code, i.commitment) for i in plan.issues] == [("id-reused", "3.10")]


def test_counts_and_json_shape() -> None:
    plan = plan_migration(_fixture("v1"), _fixture("v2"))
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["from"] == {
        "id": "ltp-test",
        "version": "1.0.0",
        "hash": _fixture("v1").content_hash,
    }
    assert data["to"]["version"] == "2.0.0"
    assert data["counts"] == {
        "added": 1,
        "reworded": 1,
        "renumbered": 1,
        "split": 1,
        "merged": 1,
        "restructured": 0,
        "retired": 1,
        "unchanged": 14,
    }
    assert list(data["counts"]) == list(KINDS)
    assert sum(data["counts"].values()) == len(data["changes"])
    assert data["issues"] == []
    assert set(data["changes"][0]) == {"kind", "old_ids", "new_ids", "fields"}


def _fixture(name: str) -> Catalogue:
    return load_catalogue(DATA / f"catalogue-{name}.yaml")


def test_shipped_fixture_exercises_every_kind_of_change() -> None:
    plan = plan_migration(_fixture("v1"), _fixture("v2"))
    changed = [c for c in plan.changes if c.kind != "unchanged"]
    assert changed == [
        Change(kind="added", old_ids=(), new_ids=("1.13",)),
        Change(
            kind="reworded",
            old_ids=("2.9",),
            new_ids=("2.9",),
            fields=("title", "commitment", "deadline"),
        ),
        Change(kind="merged", old_ids=("2.15", "2.16"), new_ids=("2.15",)),
        Change(kind="renumbered", old_ids=("3.10",), new_ids=("3.11",), fields=("provenance",)),
        Change(kind="split", old_ids=("3.52",), new_ids=("3.52a", "3.52b")),
        Change(kind="retired", old_ids=("4.1",), new_ids=()),
    ]


def test_describe_groups_and_counts() -> None:
    text = plan_migration(_fixture("v1"), _fixture("v2")).describe()
    assert text.splitlines()[0] == (
        "Catalogue ltp-test 1.0.0 (20 commitments) → ltp-test 2.0.0 (20 commitments)"
    )
    assert "1 added, 1 reworded, 1 renumbered, 1 split, 1 merged, 1 retired, 14 unchanged." in text
    for line in (
        "  + 1.13  Social prescribing link workers",
        "  ~ 2.9  Tobacco treatment for inpatients and expectant mothers"
        "  [changed: title, commitment, deadline]",
        "  2.15 + 2.16 → 2.15  Diabetes prevention, face to face and digital",
        "  3.10 → 3.11  Continuity of carer for most women  [changed: provenance]",
        "  3.52 → 3.52a, 3.52b  Mental health support in schools and for young adults",
        "  - 4.1  Workforce implementation plan",
        "Unchanged: 14 commitments keep their rows and inputs.",
    ):
        assert line in text.splitlines()


@pytest.mark.parametrize("name", ["v1", "v2"])
def test_a_catalogue_against_itself_has_no_changes(name: str) -> None:
    cat = _fixture(name)
    plan = plan_migration(cat, cat)
    assert not plan.has_changes
    assert plan.counts["unchanged"] == len(cat)
    assert "No changes to commitments" in plan.describe()


def test_the_shipped_catalogue_against_itself_has_no_changes() -> None:
    shipped = load_catalogue()
    plan = plan_migration(shipped, shipped)
    assert not plan.has_changes and plan.issues == ()
    assert plan.counts["unchanged"] == len(shipped)
    assert all(plan.predecessors[c.id] == (c.id,) for c in shipped)
