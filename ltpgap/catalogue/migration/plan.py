"""What changes between two catalogue versions: the migration plan (SPEC §8). Pure.

Rows are matched by commitment id, never by position. A new commitment inherits the inputs of
the old ids it names in ``replaces``; a new commitment without ``replaces`` continues the old
commitment with the same id, unless some other commitment claims that old id explicitly (then
the old id's inputs go only where ``replaces`` says, and the reused id starts blank).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ltpgap.catalogue.model import Catalogue, Commitment
from ltpgap.issues import Issue, Where, make_issue

__all__ = [
    "COMPARED_FIELDS",
    "KINDS",
    "Change",
    "ChangeKind",
    "MigrationPlan",
    "changed_fields",
    "plan_migration",
]

ChangeKind = Literal[
    "added", "reworded", "renumbered", "split", "merged", "restructured", "retired", "unchanged"
]
#: Every kind of change, in the order a plan lists them.
KINDS: tuple[ChangeKind, ...] = (
    "added",
    "reworded",
    "renumbered",
    "split",
    "merged",
    "restructured",
    "retired",
    "unchanged",
)

#: Commitment fields compared to tell "reworded" from "unchanged" (``due`` follows ``deadline``).
COMPARED_FIELDS: tuple[str, ...] = (
    "chapter",
    "section",
    "programme_area",
    "life_course",
    "title",
    "commitment",
    "deadline",
    "must_do",
    "level",
    "headline_metric",
    "target",
    "if_section",
    "provenance",
)

_HEADINGS: dict[ChangeKind, str] = {
    "added": "Added: new rows with blank inputs",
    "reworded": "Reworded: catalogue columns updated, inputs kept",
    "renumbered": "Renumbered: inputs move to the new paragraph",
    "split": "Split: inputs copied to each successor and flagged in Checks",
    "merged": "Merged: inputs of the predecessors combined and flagged in Checks",
    "restructured": "Restructured: several old commitments spread over several new ones (flagged)",
    "retired": "Retired: rows and their inputs move to the Retired sheet",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One change: which old ids become which new ids, and which catalogue fields differ."""

    kind: ChangeKind
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]
    fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "kind": self.kind,
            "old_ids": list(self.old_ids),
            "new_ids": list(self.new_ids),
            "fields": list(self.fields),
        }


@dataclass(frozen=True, kw_only=True)
class MigrationPlan:
    """How to carry a workbook's rows from catalogue ``old`` to catalogue ``new``."""

    old: Catalogue = field(repr=False, compare=False)
    new: Catalogue = field(repr=False, compare=False)
    changes: tuple[Change, ...]
    #: new id → the old ids whose inputs it inherits (``replaces`` order); () for added.
    predecessors: Mapping[str, tuple[str, ...]]
    #: old id → the new ids that inherit its inputs (new catalogue order); () for retired.
    successors: Mapping[str, tuple[str, ...]]
    issues: tuple[Issue, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """Number of changes of each kind (a split counts once), every kind present."""
        out: dict[str, int] = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            out[change.kind] += 1
        return out

    @property
    def has_changes(self) -> bool:
        """True when any commitment is not unchanged."""
        return any(c.kind != "unchanged" for c in self.changes)

    def of_kind(self, kind: ChangeKind) -> tuple[Change, ...]:
        """The changes of one kind, in plan order."""
        return tuple(c for c in self.changes if c.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: from, to, changes, counts and issues."""
        return {
            "from": _identity(self.old),
            "to": _identity(self.new),
            "changes": [c.to_dict() for c in self.changes],
            "counts": self.counts,
            "issues": [i.as_dict() for i in self.issues],
        }

    def describe(self) -> str:
        """The plan in words, grouped by kind and counted, for planners and ICS leads."""
        old, new = self.old, self.new
        lines = [
            f"Catalogue {old.info.id} {old.info.version} ({len(old)} commitments) → "
            f"{new.info.id} {new.info.version} ({len(new)} commitments)"
        ]
        counts = self.counts
        if not self.has_changes:
            lines.append(f"No changes to commitments ({counts['unchanged']} unchanged).")
        else:
            lines.append(", ".join(f"{n} {kind}" for kind, n in counts.items() if n) + ".")
        for kind, heading in _HEADINGS.items():
            group = self.of_kind(kind)
            if not group:
                continue
            lines.extend(["", f"{heading} ({len(group)}):"])
            lines.extend(f"  {self._line(change)}" for change in group)
        if counts["unchanged"] and self.has_changes:
            kept = counts["unchanged"]
            lines.extend(["", f"Unchanged: {kept} commitments keep their rows and inputs."])
        if self.issues:
            lines.extend(["", f"Problems ({len(self.issues)}):"])
            lines.extend(f"  {issue}" for issue in self.issues)
        return "\n".join(lines)

    def _line(self, change: Change) -> str:
        olds, news = ", ".join(change.old_ids), ", ".join(change.new_ids)
        title = _title(self.new, change.new_ids) or _title(self.old, change.old_ids)
        fields = f"  [changed: {', '.join(change.fields)}]" if change.fields else ""
        match change.kind:
            case "added":
                return f"+ {news}  {title}"
            case "retired":
                return f"- {olds}  {title}"
            case "reworded":
                return f"~ {news}  {title}{fields}"
            case "merged":
                return f"{' + '.join(change.old_ids)} → {news}  {title}"
            case _:
                return f"{olds} → {news}  {title}{fields}"


def _identity(catalogue: Catalogue) -> dict[str, str]:
    return {
        "id": catalogue.info.id,
        "version": catalogue.info.version,
        "hash": catalogue.content_hash,
    }


def _title(catalogue: Catalogue, ids: tuple[str, ...]) -> str:
    return catalogue.by_id[ids[0]].title if len(ids) == 1 else ""


def changed_fields(old: Commitment, new: Commitment) -> tuple[str, ...]:
    """The catalogue fields (of :data:`COMPARED_FIELDS`) that differ between two commitments."""
    return tuple(f for f in COMPARED_FIELDS if getattr(old, f) != getattr(new, f))


def _predecessors(old: Catalogue, new: Catalogue) -> tuple[dict[str, tuple[str, ...]], list[Issue]]:
    """Which old ids each new commitment inherits from.

    ``replaces`` names ids of the previous version. Ids it names that the old catalogue lacks
    are history from an earlier version (so pushing a catalogue onto itself changes nothing);
    they are reported only for a commitment whose own id is new, where they are likely typos.
    """
    issues: list[Issue] = []
    known: dict[str, tuple[str, ...]] = {}
    for c in new:
        named = tuple(dict.fromkeys(c.replaces))
        if c.id not in old:
            issues.extend(_unknown_replaces(old, new, c, r) for r in named if r not in old)
        known[c.id] = tuple(r for r in named if r in old)
    claimed = {ref for refs in known.values() for ref in refs}
    preds: dict[str, tuple[str, ...]] = {}
    for c in new:
        if known[c.id]:
            preds[c.id] = known[c.id]
        elif c.id in old and c.id not in claimed:
            preds[c.id] = (c.id,)
        else:
            preds[c.id] = ()
            if c.id in old:
                issues.append(_id_reused(old, new, c))
    return preds, issues


def _unknown_replaces(old: Catalogue, new: Catalogue, c: Commitment, ref: str) -> Issue:
    return make_issue(
        "unknown-replaces",
        f"replaces names '{ref}', which is not a commitment of catalogue {old.info.id} "
        f"{old.info.version} (the version being migrated from), so {c.id} inherits nothing "
        f"from it. Correct the id in replaces, or remove it if it refers to another version.",
        where=Where(file=new.path, line=c.line),
        commitment=c.id,
    )


def _id_reused(old: Catalogue, new: Catalogue, c: Commitment) -> Issue:
    return make_issue(
        "id-reused",
        f"{c.id} is in both versions, but another commitment's replaces names the old {c.id} "
        f"('{old.by_id[c.id].title}'), so its inputs go there and the new {c.id} starts blank. "
        f'If the new {c.id} also continues the old one, add replaces: ["{c.id}"] to it.',
        where=Where(file=new.path, line=c.line),
        commitment=c.id,
    )


def _components(
    old: Catalogue, new: Catalogue, preds: Mapping[str, tuple[str, ...]]
) -> list[tuple[list[str], list[str]]]:
    """Connected groups of (old ids, new ids) linked by inheritance, in new-catalogue order."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for nid, olds in preds.items():
        for oid in olds:
            parent[find("o:" + oid)] = find("n:" + nid)
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for c in new:
        groups.setdefault(find("n:" + c.id), ([], []))[1].append(c.id)
    for c in old:
        groups.setdefault(find("o:" + c.id), ([], []))[0].append(c.id)
    return list(groups.values())


def _classify(
    old: Catalogue,
    new: Catalogue,
    olds: list[str],
    news: list[str],
    preds: Mapping[str, tuple[str, ...]],
) -> Change:
    if not olds:
        return Change(kind="added", old_ids=(), new_ids=tuple(news))
    if not news:
        return Change(kind="retired", old_ids=tuple(olds), new_ids=())
    if len(olds) == 1 and len(news) == 1:
        (oid,), (nid,) = olds, news
        fields = changed_fields(old.by_id[oid], new.by_id[nid])
        if oid != nid:
            kind: ChangeKind = "renumbered"
        else:
            kind = "reworded" if fields else "unchanged"
        return Change(kind=kind, old_ids=(oid,), new_ids=(nid,), fields=fields)
    if len(olds) == 1:
        return Change(kind="split", old_ids=tuple(olds), new_ids=tuple(news))
    if len(news) == 1:
        return Change(kind="merged", old_ids=preds[news[0]], new_ids=tuple(news))
    return Change(kind="restructured", old_ids=tuple(olds), new_ids=tuple(news))


def plan_migration(old: Catalogue, new: Catalogue) -> MigrationPlan:
    """Compare two catalogue versions: what each old row becomes in the new catalogue."""
    preds, issues = _predecessors(old, new)
    succ: dict[str, list[str]] = {c.id: [] for c in old}
    for c in new:
        for oid in preds[c.id]:
            succ[oid].append(c.id)
    changes = [_classify(old, new, o, n, preds) for o, n in _components(old, new, preds)]
    # Retired changes last, in old-catalogue order; the rest follow the new catalogue.
    changes.sort(key=lambda ch: ch.kind == "retired")
    return MigrationPlan(
        old=old,
        new=new,
        changes=tuple(changes),
        predecessors=preds,
        successors={k: tuple(v) for k, v in succ.items()},
        issues=tuple(issues),
    )
