"""The server's ICS file against the ICS workbook the add-in's Recompute is asked to rewrite.

Recompute (:mod:`ltpgap.xl.ics`) rewrites the bodies of the ICS workbook's sheets under the
headers, column widths and formats the merge laid out, and leaves Read me as it is. So it can
follow the ICS file only where that changes no column and nothing Read me states:

- places taken away, added, renamed or put in another order, the ICS renamed, or other rules
  (Read me states them) would leave the matrix's RAGs under other places' headings, or Read me
  wrong: :func:`columns_changed` names what differs, and Recompute stops
  (``ics-file-changed``) until a merge lays the workbook out again;
- new populations only move the weighted scores: Recompute uses them, and
  :func:`population_meta` gives the metadata values that record them, so that `ltpgap check`
  and `report` (``matrix-result-edited``) and a roll-up weigh as Recompute did.

Pure: metadata values in, metadata values or an Issue out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, fields

from ltpgap.ics import IcsConfig, Rules
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.merge._sheets import META, ics_checksum

__all__ = ["columns_changed", "population_meta"]


def _load(text: str) -> object:
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return None


def _dump(value: object) -> str:
    """As the merge writes metadata values (ltpgap.merge.ics_writer)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _units(meta: Mapping[str, str]) -> list[dict[str, object]]:
    data = _load(meta.get("places", ""))
    return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []


def _label(name: object, unit_id: object) -> str:
    return f"{name} ('{unit_id}')"


def _place_changes(meta: Mapping[str, str], ics: IcsConfig) -> list[str]:
    recorded = [
        (str(d.get("id", "")), str(d.get("name", "") or d.get("id", ""))) for d in _units(meta)
    ]
    listed = [(p.id, p.name) for p in ics.places]
    if recorded == listed:
        return []
    names = dict(recorded)
    now = dict(listed)
    out = [
        f"{_label(n, i)} is in the workbook but not in the ICS file"
        for i, n in recorded
        if i not in now
    ]
    out += [f"{_label(n, i)} is new in the ICS file" for i, n in listed if i not in names]
    out += [
        f"'{names[i]}' ('{i}') is named '{n}' in the ICS file"
        for i, n in listed
        if i in names and names[i] != n
    ]
    if not out:  # the same places, the same names: in another order
        out.append(
            f"the ICS file lists the places in another order ({', '.join(n for _, n in listed)})"
        )
    return out


def _rules(meta: Mapping[str, str]) -> Rules:
    data = _load(meta.get("rules", ""))
    known = {f.name for f in fields(Rules)}
    return (
        Rules(**{k: v for k, v in data.items() if k in known})
        if isinstance(data, dict)
        else Rules()
    )


def _rule_changes(meta: Mapping[str, str], ics: IcsConfig) -> list[str]:
    was, now = asdict(_rules(meta)), asdict(ics.rules)
    return [
        f"the rule {key} is {now[key]!r} in the ICS file ({was[key]!r} in the workbook)"
        for key in now
        if was.get(key) != now[key]
    ]


def columns_changed(meta: Mapping[str, str], ics: IcsConfig, *, path: str) -> Issue | None:
    """``ics-file-changed`` (an error) when the ICS file's places, names, order or rules are not
    those the workbook (``meta``, its metadata; ``path``, its name) was merged with."""
    changes = _place_changes(meta, ics)
    if meta.get("unit_name", ics.name) != ics.name:
        was = meta.get("unit_name")
        changes.append(f"the ICS is named '{ics.name}' in the ICS file ('{was}' in the workbook)")
    changes += _rule_changes(meta, ics)
    if not changes:
        return None
    return make_issue(
        "ics-file-changed",
        f"the server's ICS file is not the one the ICS workbook {path} was merged with: "
        f"{'; '.join(changes)}. Recompute rewrites only the figures under the columns (and "
        "beside the Read me) that the merge laid out, so it has written nothing. Merge again "
        f"with this ICS file (`ltpgap merge PLACE.xlsx… --ics ICS-FILE.yaml --out {path}`) "
        "to lay the workbook out afresh, or point the server at the ICS file the workbook was "
        "merged with (LTPGAP_ICS).",
        where=Where(file=ics.path, line=ics.line) if ics.path else Where(file=path, sheet=META),
    )


def population_meta(meta: Mapping[str, str], ics: IcsConfig) -> dict[str, str]:
    """The metadata values to rewrite so that they record the ICS file's populations: the
    ``places`` and ``ics_team`` lists with each unit's population, and the checksum when it
    held before ({} when the populations are those recorded). Everything else in each entry
    (where its data came from, its rows and their checksums) is kept as written."""
    people = {p.id: p.population for p in ics.places} | {ics.id: ics.population}
    out: dict[str, str] = {}
    units = _units(meta)
    if any(people.get(str(d.get("id")), d.get("population")) != d.get("population") for d in units):
        out["places"] = _dump(
            [d | {"population": people.get(str(d.get("id")), d.get("population"))} for d in units]
        )
    team = _load(meta.get("ics_team", ""))
    if isinstance(team, dict) and team.get("population") != ics.population:
        out["ics_team"] = _dump(team | {"population": ics.population})
    if out and meta.get("checksum", "") == ics_checksum(meta):
        out["checksum"] = ics_checksum({**meta, **out})
    return out
