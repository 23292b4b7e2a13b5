"""Movement between two snapshots (SPEC §9): improved / no change / worse, with arrows and words.

Pure: frames in, frames out; no database here (the store in :mod:`ltpgap.store` supplies the
snapshots). Order of RAGs is Red < Amber < Green; Not assessed and N/A are not on that scale,
so a change to or from them is "not comparable" (the same value twice is "no change").
Across a catalogue migration, a successor commitment (``Commitment.replaces``: split or
renumbered) is compared with its predecessor's previous RAG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pandas as pd

from ltpgap.catalogue import Catalogue, para_sort_key
from ltpgap.schema import RAG_ORDER

if TYPE_CHECKING:
    from ltpgap.catalogue.migration import MigrationPlan

#: A migration plan, or a plain mapping new id → the old ids it continues.
PlanLike: TypeAlias = "MigrationPlan | Mapping[str, Sequence[str]]"

__all__ = [
    "ARROWS",
    "MOVEMENTS",
    "MOVEMENT_COLUMNS",
    "TREND_COLUMNS",
    "classify",
    "lineage",
    "movement",
    "movement_counts",
    "predecessors",
    "sort_movement",
    "trend",
]

#: The movement words, best first; reports and counts use this order.
MOVEMENTS: tuple[str, ...] = ("improved", "no change", "worse", "new", "not comparable")
#: The arrow shown before each word (the word is always shown too: colour and shape are not
#: the only signal). "new" and "not comparable" have no arrow.
ARROWS: Mapping[str, str] = {
    "improved": "▲",
    "no change": "▶",
    "worse": "▼",
    "new": "",
    "not comparable": "",
}
#: Columns of :func:`movement`, in order (``via`` names the predecessor(s) compared with).
MOVEMENT_COLUMNS: tuple[str, ...] = (
    "place",
    "para",
    "before",
    "after",
    "movement",
    "arrow",
    "label",
    "via",
)
#: Columns of :func:`trend`, in order.
TREND_COLUMNS: tuple[str, ...] = (
    "snapshot",
    "taken_at",
    "place",
    "pct_green",
    "green",
    "applicable",
)

#: The place label given to frames without a place column (the ICS roll-up).
ICS_LABEL = "ICS"


def classify(before: str | None, after: str) -> str:
    """The movement word for one commitment: ``before`` is None when there is no previous RAG."""
    if before is None:
        return "new"
    if before == after:
        return "no change"
    if before in RAG_ORDER and after in RAG_ORDER:
        return "improved" if RAG_ORDER[after] > RAG_ORDER[before] else "worse"
    return "not comparable"


def _label(word: str) -> str:
    arrow = ARROWS[word]
    return f"{arrow} {word}" if arrow else word


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    """``place, para, rag`` from a place frame, or from an ICS roll-up (``ics_rag``, no place)."""
    rag = "rag" if "rag" in frame.columns else "ics_rag"
    if rag not in frame.columns or "para" not in frame.columns:
        raise ValueError("a movement frame needs columns para and rag (or ics_rag)")
    place = frame["place"].astype(str) if "place" in frame.columns else ICS_LABEL
    return pd.DataFrame(
        {"place": place, "para": frame["para"].astype(str), "rag": frame[rag].astype(str)}
    )


def predecessors(
    catalogue: Catalogue | None = None, plan: PlanLike | None = None
) -> dict[str, tuple[str, ...]]:
    """New id → the old ids whose history it continues, as in a catalogue migration (SPEC §8).

    From ``plan`` when given (a :class:`~ltpgap.catalogue.migration.MigrationPlan`, or a mapping
    new id → old ids; ids it omits continue themselves); otherwise from the catalogue:
    ``replaces`` when set; else the id itself, unless another commitment's ``replaces`` claims
    that id (a reused id then starts afresh: ``()``).
    """
    if plan is not None:
        mapping = plan if isinstance(plan, Mapping) else plan.predecessors
        return {str(new): tuple(old) for new, old in mapping.items()}
    if catalogue is None:
        return {}
    claimed = {old for c in catalogue.commitments for old in c.replaces}
    return {c.id: c.replaces or (() if c.id in claimed else (c.id,)) for c in catalogue.commitments}


def lineage(para: str, catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """The commitment id and the ids it replaces (its history under earlier catalogues)."""
    replaces = catalogue.by_id[para].replaces if catalogue and para in catalogue else ()
    return tuple(dict.fromkeys((para, *replaces)))


def _inherited(rags: list[str]) -> str:
    """One previous RAG for a successor of several predecessors: the worst on the scale."""
    ranked = [r for r in rags if r in RAG_ORDER]
    if ranked:
        return min(ranked, key=RAG_ORDER.__getitem__)
    return rags[0]


def _versions(frame: pd.DataFrame) -> dict[str, set[str]]:
    """Place → the catalogue versions its rows were built from (empty without the column)."""
    if "catalogue_version" not in frame.columns:
        return {}
    pairs = zip(frame["place"].astype(str), frame["catalogue_version"].astype(str), strict=True)
    out: dict[str, set[str]] = {}
    for place, version in pairs:
        out.setdefault(place, set()).add(version)
    return out


def _migrated_places(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    preds: Mapping[str, tuple[str, ...]],
    version: str | None,
) -> set[str]:
    """Places whose previous answers were under another catalogue than their current ones.

    Known exactly from ``catalogue_version`` columns (the store provides them): compared with
    the place's current version, or else with the catalogue's. Without them, a place counts as
    migrated when it had none of the new successor ids but some replaced id.
    """
    before, after = _versions(previous), _versions(current)
    if before and (after or version is not None):
        return {
            place
            for place, versions in before.items()
            if versions != after.get(place, {version} if version is not None else versions)
        }
    moved = {new: olds for new, olds in preds.items() if olds != (new,)}
    fresh = {new for new, olds in moved.items() if new not in olds and olds}
    replaced = {old for olds in moved.values() for old in olds}
    out = set()
    for place, paras in previous.groupby(previous["place"].astype(str))["para"]:
        ids = set(paras.astype(str))
        if not ids & fresh and ids & replaced:
            out.add(str(place))
    return out


def movement(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    *,
    catalogue: Catalogue | None = None,
    plan: PlanLike | None = None,
) -> pd.DataFrame:
    """Per place and commitment of ``current``: the RAG before and after, and the movement.

    Frames have columns ``place, para, rag`` (or an ICS roll-up's ``para, ics_rag``, labelled
    place "ICS"), optionally ``catalogue_version``. When a place's previous answers were under
    another catalogue than its current ones, ``catalogue`` (the current one: its
    ``replaces``) or ``plan`` says which old commitments each current one continues: a split
    or renumbered commitment is compared with its predecessor's previous RAG (the worst of
    them when several were merged), and ``via`` names them. A commitment with no previous
    RAG is "new". Rows only in ``previous`` (retired commitments, places gone) are left out.
    """
    prev, cur = _long(previous), _long(current)
    for long, given in ((prev, previous), (cur, current)):
        if "catalogue_version" in given.columns:
            long["catalogue_version"] = given["catalogue_version"].to_numpy()
    before_of = {(p, c): r for p, c, r in prev[["place", "para", "rag"]].itertuples(index=False)}
    preds = predecessors(catalogue, plan)
    new_catalogue = catalogue if isinstance(plan, Mapping | None) else plan.new
    version = new_catalogue.info.version if new_catalogue is not None else None
    migrated = _migrated_places(prev, cur, preds, version) if preds else set()
    rows = []
    for place, para, after in cur[["place", "para", "rag"]].itertuples(index=False):
        olds = preds.get(para, (para,)) if place in migrated else (para,)
        found = [(old, before_of[(place, old)]) for old in olds if (place, old) in before_of]
        before = _inherited([r for _, r in found]) if found else None
        via = ", ".join(old for old, _ in found if old != para or len(found) > 1)
        word = classify(before, after)
        rows.append((place, para, before, after, word, ARROWS[word], _label(word), via))
    # object dtype keeps a missing "before" as None (pandas' string dtype would make it NaN)
    return pd.DataFrame(rows, columns=list(MOVEMENT_COLUMNS), dtype=object)


def _group_values(frame: pd.DataFrame, by: str, catalogue: Catalogue | None) -> pd.Series:
    if by in frame.columns:
        return frame[by]
    if by == "chapter" and catalogue is None:
        return frame["para"].map(lambda p: int(str(p).split(".")[0]) if "." in str(p) else p)
    if catalogue is None:
        raise ValueError(f"counting movement by {by!r} needs the catalogue")
    attribute = {c.id: getattr(c, by) for c in catalogue.commitments}
    return frame["para"].map(attribute)


def _group_order(values: list[object], by: str, catalogue: Catalogue | None) -> list[object]:
    if by == "programme_area" and catalogue is not None:
        rank = {a.id: i for i, a in enumerate(catalogue.programme_areas)}
        return sorted(values, key=lambda v: (rank.get(str(v), len(rank)), str(v)))
    if by == "chapter":
        return sorted(values, key=lambda v: (not isinstance(v, int | np.integer), str(v).zfill(4)))
    return values  # places etc.: in order of first appearance


def movement_counts(
    frame: pd.DataFrame, catalogue: Catalogue | None = None, by: str | None = "chapter"
) -> pd.DataFrame:
    """How many commitments improved, stayed, worsened, are new or not comparable, per group.

    ``by``: ``chapter`` (from the para id when no catalogue is given), ``programme_area``,
    ``life_course``, ``place`` or any column of ``frame``; ``None`` gives one overall row.
    Columns: ``<by>, improved, no change, worse, new, not comparable, total``.
    """
    words = pd.Categorical(frame["movement"], categories=list(MOVEMENTS))
    if by is None:
        counts = pd.Series(words).value_counts().reindex(list(MOVEMENTS), fill_value=0)
        out = pd.DataFrame([counts.to_numpy()], columns=list(MOVEMENTS))
    else:
        groups = _group_values(frame, by, catalogue)
        table = pd.crosstab(groups.to_numpy(), words, dropna=False)
        table = table.reindex(columns=list(MOVEMENTS), fill_value=0)
        order = _group_order(list(pd.unique(groups.dropna())), by, catalogue)
        table = table.reindex(order, fill_value=0)
        out = table.rename_axis(by).reset_index()
        out.columns = [by, *MOVEMENTS]
    out["total"] = out[list(MOVEMENTS)].sum(axis=1)
    return out.astype({w: "int64" for w in (*MOVEMENTS, "total")}).reset_index(drop=True)


def trend(history_frame: pd.DataFrame) -> pd.DataFrame:
    """% green over applicable commitments (all but N/A) per snapshot and place.

    Pass one ICS's history with every place carried forward to each snapshot
    (``Store.history(ics, carry_forward=True)``), or its roll-up history (place "ICS").
    Columns: ``snapshot, taken_at, place, pct_green`` (a fraction 0–1, NaN when nothing is
    applicable), then ``green, applicable``.
    """
    if "ics" in history_frame.columns and history_frame["ics"].nunique() > 1:
        raise ValueError("trend takes one ICS at a time; filter the history by ics first")
    long = _long(history_frame)
    long["snapshot"] = history_frame["snapshot"].to_numpy()
    long["taken_at"] = (
        history_frame["taken_at"].to_numpy() if "taken_at" in history_frame.columns else None
    )
    long["green"] = (long["rag"] == "Green").astype("int64")
    long["applicable"] = (long["rag"] != "N/A").astype("int64")
    out = long.groupby(["snapshot", "place"], sort=False, dropna=False).agg(
        taken_at=("taken_at", "first"), green=("green", "sum"), applicable=("applicable", "sum")
    )
    out = out.reset_index().sort_values(["snapshot"], kind="stable")
    applicable = out["applicable"].where(out["applicable"] > 0)
    out["pct_green"] = out["green"] / applicable
    return out.loc[:, list(TREND_COLUMNS)].reset_index(drop=True)


def sort_movement(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered by place (as given) then paragraph in natural order."""
    places = {p: i for i, p in enumerate(pd.unique(frame["place"]))}
    key = [
        (places[p], para_sort_key(c)) for p, c in zip(frame["place"], frame["para"], strict=True)
    ]
    order = sorted(range(len(frame)), key=key.__getitem__)
    return frame.iloc[order].reset_index(drop=True)
