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

Pure: the workbook as read (:func:`ltpgap.merge.ics_data.ics_workbook`) in, metadata values or
an Issue out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace

from ltpgap.ics import IcsConfig
from ltpgap.issues import Issue, Where, make_issue
from ltpgap.merge._sheets import META, ics_checksum, meta_json
from ltpgap.merge.ics_data import IcsWorkbook

__all__ = ["columns_changed", "population_meta"]


def _label(name: str, unit_id: str) -> str:
    return f"{name} ('{unit_id}')"


def _place_changes(book: IcsWorkbook, ics: IcsConfig) -> list[str]:
    recorded = [(p.id, p.name) for p in book.places]
    listed = [(p.id, p.name) for p in ics.places]
    if recorded == listed:
        return []
    names, now = dict(recorded), dict(listed)
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


def _rule_changes(book: IcsWorkbook, ics: IcsConfig) -> list[str]:
    was, now = asdict(book.rules), asdict(ics.rules)
    return [
        f"the rule {key} is {now[key]!r} in the ICS file ({was[key]!r} in the workbook)"
        for key in now
        if was.get(key) != now[key]
    ]


def columns_changed(book: IcsWorkbook, ics: IcsConfig) -> Issue | None:
    """``ics-file-changed`` (an error) when the ICS file's places, names, order or rules are not
    those the workbook was merged with."""
    changes = _place_changes(book, ics)
    if book.unit_name != ics.name:
        changes.append(
            f"the ICS is named '{ics.name}' in the ICS file ('{book.unit_name}' in the workbook)"
        )
    changes += _rule_changes(book, ics)
    if not changes:
        return None
    return make_issue(
        "ics-file-changed",
        f"the server's ICS file is not the one the ICS workbook {book.path} was merged with: "
        f"{'; '.join(changes)}. Recompute rewrites only the figures under the columns (and "
        "beside the Read me) that the merge laid out, so it has written nothing. Merge again "
        f"with this ICS file (`ltpgap merge PLACE.xlsx… --ics ICS-FILE.yaml --out {book.path}`) "
        "to lay the workbook out afresh, or point the server at the ICS file the workbook was "
        "merged with (LTPGAP_ICS).",
        where=Where(file=ics.path, line=ics.line)
        if ics.path
        else Where(file=book.path, sheet=META),
    )


def population_meta(book: IcsWorkbook, meta: Mapping[str, str], ics: IcsConfig) -> dict[str, str]:
    """The metadata values (``meta``: the workbook's, as read) to rewrite so that they record
    the ICS file's populations: the ``places`` and ``ics_team`` entries with each unit's
    population, and the checksum when it held before ({} when the populations are those
    recorded). Everything else in each entry (where its data came from, its rows and their
    checksums) is kept as written."""
    people = {p.id: p.population for p in ics.places}
    places = [replace(p, population=people.get(p.id, p.population)) for p in book.places]
    out: dict[str, str] = {}
    if places != list(book.places):
        out["places"] = meta_json([p.as_json() for p in places])
    if book.team is not None and book.team.population != ics.population:
        out["ics_team"] = meta_json(replace(book.team, population=ics.population).as_json())
    if out and book.intact:
        out["checksum"] = ics_checksum({**meta, **out})
    return out
