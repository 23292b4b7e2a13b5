"""Results changed by hand in an ICS workbook (``matrix-result-edited``) and a Gaps sheet
that no longer says what the merge wrote (``gaps-edited``).

`ltpgap summary`, `report`, `check` and `rollup` read the matrix and Gaps as they are, so a
result typed over by hand (Red made Green before a board) would reach a board paper or a
region's roll-up without a word. Each is checked against what a merge would write:

- in an ICS workbook, every unit whose rows on Place data are as the merge wrote them is
  assessed again from those rows (:func:`assessed_again`, as a merge carries a unit forward):
  a place's RAG, or the ICS team's on an ICS-level row, that its inputs do not give is named;
  a unit whose rows were changed by hand since is named when its column was not worked out
  again from them (Recompute in Excel does that);
- the ICS RAG (or Region/National RAG) of each row is the §6 roll-up of the unit RAGs, by the
  rules the workbook records (a region or national roll-up holds no inputs: its units' RAGs
  are read as they are);
- Gaps must list the matrix's Reds, in the words the merge wrote from the inputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Place
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.merge._carry import carry_forward, rows_cut
from ltpgap.merge._sheets import GAPS, LEVEL_WORDS, MATRIX, PLACE_DATA
from ltpgap.merge.ics_data import IcsWorkbook
from ltpgap.merge.model import PlaceRef, PlaceSubmission
from ltpgap.rag import IcsRollup, PlaceAssessment, rollup_ics, rollup_region
from ltpgap.schema import RAG_VALUES, cell_text, rags_as_read

__all__ = ["AssessedAgain", "assessed_again", "edited_by_hand", "gaps_edited", "typed_over"]

#: Cells whose text is themselves (no spaces to fold): the RAG words.
_AS_IS = frozenset(RAG_VALUES)


def _texts(values: pd.Series) -> list[str]:
    """A column's cells as text, "" for a blank (None or NaN, which pandas keeps through
    ``astype(str)``). A RAG word is its own text: most cells of the matrix are one."""
    cells = values.tolist()  # plain Python values: iterating pandas' Arrow text is slow
    return [v if type(v) is str and v in _AS_IS else cell_text(v) for v in cells]


def _rows(book: IcsWorkbook, catalogue: Catalogue) -> pd.DataFrame:
    """The matrix rows the roll-up can take: each catalogue Para once (the first row of a Para
    copied by hand), every cell as text."""
    m = book.matrix
    frame = pd.DataFrame(
        {c: _texts(m[c]) for c in m.columns}, index=range(len(m)), dtype=object
    )  # object: iterated cell by cell below, which pandas' Arrow text makes slow
    frame = frame[frame["para"].isin(catalogue.ids)]
    return frame.drop_duplicates("para")


def _ics_of(book: IcsWorkbook, units: list[PlaceRef]) -> IcsConfig:
    """The ICS as the workbook records it: its places, populations and rules."""
    return IcsConfig(
        id=book.unit_id,
        name=book.unit_name,
        places=tuple(Place(id=p.id, name=p.name, population=p.population) for p in units),
        rules=book.rules,
    )


def _has_data(ref: PlaceRef) -> bool:
    return ref.status in ("submitted", "kept")


@dataclass(frozen=True, slots=True)
class AssessedAgain:
    """The units of an ICS workbook whose rows on Place data are as the merge wrote them, each
    assessed again as a merge carries a unit forward (none for a region or national roll-up,
    which holds no inputs). Made once by :func:`assessed_again` for both checks below."""

    units: Mapping[str, PlaceSubmission]
    #: Units whose rows on Place data were changed by hand since the merge (none cut),
    #: assessed from those rows as they now are.
    changed: Mapping[str, PlaceSubmission] = field(default_factory=dict)

    def assessments(self) -> dict[str, PlaceAssessment]:
        """Unit id → its assessment, changed or not (for the merge's carry to take)."""
        subs = {**self.units, **self.changed}
        return {unit: sub.assessment for unit, sub in subs.items() if sub.assessment is not None}

    def rags(self, *, changed: bool = False) -> dict[str, dict[str, str]]:
        """Unit id → Para → the RAG its inputs give (of the ``changed`` units instead)."""
        out: dict[str, dict[str, str]] = {}
        for unit, sub in (self.changed if changed else self.units).items():
            assert sub.assessment is not None
            paras, rags = sub.assessment.column("para"), sub.assessment.column("rag")
            out[unit] = dict(zip(map(str, paras), map(str, rags), strict=True))
        return out


def assessed_again(book: IcsWorkbook, catalogue: Catalogue) -> AssessedAgain:
    """Each unit whose rows on Place data are there as the merge wrote them (not changed by
    hand since, ``place-data-edited``; none cut, ``kept-data-damaged``: those say so
    themselves), recorded against this catalogue, assessed again from those rows."""
    if (
        book.scope != "ics-merge"
        or book.place_data_missing
        or book.catalogue_hash != catalogue.content_hash
    ):
        return AssessedAgain(units={})
    refs = {r.id: r for r in (*book.places, *([book.team] if book.team else [])) if _has_data(r)}
    counts = Counter(book.place_data["place"].tolist())
    kept, _ = carry_forward(book, {}, _ics_of(book, list(book.places)), catalogue, lambda _: None)
    whole = {
        unit: sub
        for unit, sub in kept.items()
        if (ref := refs.get(unit)) is not None
        and sub.assessment is not None
        and not rows_cut(ref, counts.get(unit, 0))
    }
    # The carry records a unit changed by hand under the CRCs of its rows as they now are.
    return AssessedAgain(
        units={u: sub for u, sub in whole.items() if sub.ref.crc == refs[u].crc},
        changed={u: sub for u, sub in whole.items() if sub.ref.crc != refs[u].crc},
    )


def _recomputed(
    book: IcsWorkbook,
    catalogue: Catalogue,
    rows: pd.DataFrame,
    derived: Mapping[str, Mapping[str, str]],
) -> IcsRollup:
    """The roll-up a merge would make: each unit's RAGs from its inputs where ``derived`` has
    them; otherwise as shown on the matrix (a unit whose Place data was changed by hand, and
    every unit of a region or national roll-up), or none (a unit no data was merged from)."""
    paras = rows["para"].tolist()
    units = [p for p in book.places if p.id in rows.columns]
    if book.scope == "ics-merge":
        shown = [p.id for p in units if p.id not in derived and _has_data(p)]
        given = [p.id for p in units if p.id in derived]
        long = {
            "place": [u for u in (*shown, *given) for _ in paras],
            "para": paras * (len(shown) + len(given)),
            "rag": [v for u in shown for v in rags_as_read(rows[u].tolist())]
            + [derived[u].get(para, "Not assessed") for u in given for para in paras],
        }
        team = None  # no data from the ICS team: its rows are Not assessed, as merged
        if book.team is not None and book.team.id in derived:
            own = derived[book.team.id]
            team = {"para": paras, "rag": [own.get(p, "Not assessed") for p in paras]}
        elif book.team is not None:  # changed by hand on Place data: as the matrix shows
            team = {"para": paras, "rag": rags_as_read(rows["ics_rag"].tolist())}
        return rollup_ics(catalogue, long, ics=_ics_of(book, units), ics_rags=team)
    results = {
        p.id: pd.DataFrame({"para": paras, "ics_rag": rags_as_read(rows[p.id].tolist())})
        for p in units
    }
    return rollup_region(catalogue, results, {p.id: p.population for p in units}, book.rules)


def _shown(value: str) -> str:
    return repr(value) if value else "blank"


def _edited(
    book: IcsWorkbook, para: str | None, message: str, position: object = None, key: str = ""
) -> Issue:
    """A ``matrix-result-edited`` warning, at the cell of the matrix's row at ``position``
    (an index of :func:`_rows`) in column ``key`` when given."""
    cell = book.matrix_cell(position, key) if isinstance(position, int) and key else None
    return make_issue(
        "matrix-result-edited",
        message,
        where=Where(file=book.path, sheet=MATRIX, cell=cell),
        severity=Severity.WARNING,
        commitment=para,
    )


def _unit_cells(
    book: IcsWorkbook,
    rows: pd.DataFrame,
    rolled: IcsRollup,
    derived: Mapping[str, Mapping[str, str]],
    then: Callable[[str, object], str],
) -> list[Issue]:
    """Each cell of a unit's column that holds no RAG (typed over, or blanked) or, in an ICS
    workbook, is not what the unit's inputs on Place data give (or having none: Not
    assessed). A unit whose Place data was changed by hand is not held to its inputs."""
    at = {p: i for i, p in enumerate(map(str, rolled.column("para")))}
    issues = []
    for unit in [p for p in book.places if p.id in rows.columns]:
        held = book.scope == "ics-merge" and (unit.id in derived or not _has_data(unit))
        expected = rolled.unit_rags(unit.id) if held else None
        source = (
            f"{unit.name}'s inputs on {PLACE_DATA} give"
            if unit.id in derived
            else f"no data from {unit.name} was merged, which gives"
        )
        for position, para, shown in zip(
            rows.index.tolist(), rows["para"], rows[unit.id], strict=True
        ):
            rag = expected[at[para]] if expected is not None else None
            if shown == rag or (rag is None and shown in RAG_VALUES):
                continue
            found = f"{_shown(shown)} on the {MATRIX}, which is not a RAG"
            if rag is not None:
                found = (
                    f"{found}, and {source} '{rag}'"
                    if shown not in RAG_VALUES
                    else f"'{shown}' on the {MATRIX}, but {source} '{rag}'"
                )
            message = f"{unit.name}'s RAG of {para} is {found} (typed over by hand?). "
            issues.append(_edited(book, para, message + then(shown, rag), position, unit.id))
    return issues


def _not_worked_out(
    book: IcsWorkbook,
    catalogue: Catalogue,
    rows: pd.DataFrame,
    derived: Mapping[str, Mapping[str, str]],
    again: AssessedAgain,
) -> list[Issue]:
    """For each unit whose rows on Place data were changed by hand since the merge, a warning
    when its column does not show what those rows now give: the figures were not worked out
    again (Recompute in Excel does that), so a report would show results its inputs do not."""
    if not again.changed:
        return []
    now = again.rags(changed=True)
    try:
        rolled = _recomputed(book, catalogue, rows, {**derived, **now})
    except LtpgapError:
        return []
    at = {p: i for i, p in enumerate(map(str, rolled.column("para")))}
    issues = []
    levels = rows["level"].tolist() if "level" in rows.columns else [""] * len(rows)
    team = [book.team] if book.team is not None and book.team.id in now else []
    for unit in [*(p for p in book.places if p.id in now and p.id in rows.columns), *team]:
        if unit in team:  # the ICS team's: the ICS RAG of the ICS-level rows
            given, column = rolled.column("ics_rag"), rows["ics_rag"]
            held = [level == "ics" for level in levels]
        else:
            given, column, held = rolled.unit_rags(unit.id), rows[unit.id], [True] * len(rows)
        moved = [
            f"{para}: '{shown}' shown, '{given[at[para]]}' given"
            for para, shown, checked in zip(rows["para"], column, held, strict=True)
            if checked and shown in RAG_VALUES and shown != given[at[para]]  # else named above
        ]
        if not moved:
            continue  # worked out again after the change (Recompute in Excel)
        subject, whose = (
            ("the ICS RAG of the ICS-level commitments", "the ICS team's")
            if unit in team
            else (f"{unit.name}'s column", "its")
        )
        listed = "; ".join(moved[:5]) + (f"; and {len(moved) - 5} more" if len(moved) > 5 else "")
        issues.append(
            _edited(
                book,
                None,
                f"{subject} on the {MATRIX} does not show what {whose} rows on {PLACE_DATA} "
                f"give: they were changed by hand since the merge wrote them, and the results "
                f"were not worked out again ({listed}). Press Recompute in Excel, or merge again, "
                "before a report; if the change to Place data was not meant, take Place data "
                "from a copy of the ICS workbook.",
            )
        )
    return issues


def typed_over(
    book: IcsWorkbook,
    catalogue: Catalogue,
    *,
    replaced_by: str = "",
    again: AssessedAgain | None = None,
) -> list[Issue]:
    """A ``matrix-result-edited`` warning for each result on the matrix that is not what a
    merge would write: in an ICS workbook, a place's RAG (or the ICS team's, on an ICS-level
    row) that its inputs on Place data do not give, and an ICS RAG its row's place RAGs do not
    give under the workbook's rules; in a region or national roll-up, a level RAG its row's
    unit RAGs do not give. ``replaced_by``: said by a merge or roll-up ('merge', 'roll-up')
    into the workbook, which works every result out again. Nothing when the matrix cannot be
    read (``ics-matrix-damaged`` says so) or the workbook was made with another catalogue.
    ``again``: :func:`assessed_again` of the workbook, when the caller has it."""
    if book.matrix_missing or book.catalogue_hash != catalogue.content_hash or book.matrix.empty:
        return []
    rows = _rows(book, catalogue)
    again = again or assessed_again(book, catalogue)
    derived = again.rags()
    try:
        rolled = _recomputed(book, catalogue, rows, derived)
    except LtpgapError:  # a population the roll-up cannot weight by (metadata edited by hand)
        return []
    computed = dict(zip(rolled.column("para"), rolled.column("ics_rag"), strict=True))
    level = f"{LEVEL_WORDS.get(book.scope, 'ICS')} RAG"
    units = "ICSs" if book.scope == "region" else "regions" if book.scope == "national" else ""
    units = units or "places"
    put_back = "It is read as it is. Merge again into this workbook to put back"
    kept = (
        f"This {replaced_by} works every result out again, so the value typed is not kept"
        if replaced_by
        else f"{put_back} the result worked out"
    )
    advice = (
        "to change a result, change the inputs (a RAG override with its reason) in the "
        "workbook they come from."
    )

    def then(shown: str, rag: object) -> str:
        """What happens to a result typed over, and what to do instead."""
        if replaced_by:
            return f"{kept}; {advice}"
        if shown not in RAG_VALUES:
            return (
                "It is counted as Not assessed. Merge again into this workbook to put back the "
                f"result worked out; {advice}"
            )
        return f"{put_back} '{rag}'; {advice}"

    issues = _unit_cells(book, rows, rolled, derived, then)
    if not replaced_by:  # a merge takes Place data as it is: place-data-edited says so
        issues += _not_worked_out(book, catalogue, rows, derived, again)
    team = book.team.id if book.team else None
    levels = rows["level"].tolist() if "level" in rows.columns else [""] * len(rows)
    for position, para, shown, row_level in zip(
        rows.index.tolist(), rows["para"], rows["ics_rag"], levels, strict=True
    ):
        rag = computed.get(para)
        if rag is None or shown == rag:
            continue
        by_team = book.scope == "ics-merge" and row_level == "ics"
        source = (
            f"the ICS team's inputs on {PLACE_DATA} give"
            if by_team and team in derived
            else "no data from the ICS team was merged, which gives"
            if by_team and team is None
            else f"the {units}' RAGs on its row give"
        )
        if shown not in RAG_VALUES:  # blanked, or other text: whatever its row gives
            found = f"{_shown(shown)} on the {MATRIX}, which is not a RAG"
        else:
            found = f"'{shown}' on the {MATRIX}, but {source} '{rag}'"
            found += "" if by_team else " under the rules in force"
        why = "typed over by hand?"
        if not book.intact and not by_team and shown in RAG_VALUES:
            why += (
                " Or the populations or rules in the hidden metadata were edited, which the "
                "result was worked out again with: see metadata-edited"
            )
        message = f"the {level} of {para} is {found} ({why}). {then(shown, rag)}"
        issues.append(_edited(book, para, message, position, "ics_rag"))
    return issues


def edited_by_hand(book: IcsWorkbook, catalogue: Catalogue) -> list[Issue]:
    """Everything on the matrix and Gaps that is not what a merge would write
    (:func:`typed_over`, :func:`gaps_edited`), the places assessed again once for both: what
    `ltpgap check` and `report` say of an ICS workbook."""
    again = assessed_again(book, catalogue)
    return [*typed_over(book, catalogue, again=again), *gaps_edited(book, catalogue, again=again)]


def _listed(pairs: list[tuple[str, str]], names: dict[str, str], most: int = 10) -> str:
    shown = [f"{names.get(unit, unit)} {para}" for unit, para in pairs[:most]]
    more = f" and {len(pairs) - most} more" if len(pairs) > most else ""
    return ", ".join(shown) + more


def gaps_edited(
    book: IcsWorkbook, catalogue: Catalogue, *, again: AssessedAgain | None = None
) -> list[Issue]:
    """``gaps-edited`` warnings when the Gaps sheet does not list every Red of the ICS matrix
    (a row deleted by hand: a gap the report would leave out), lists a gap the matrix does
    not show at Red (added or left behind by hand), or words a gap otherwise than the unit's
    inputs on Place data (:func:`_reworded`). Nothing when the matrix cannot be read.
    ``again``: :func:`assessed_again` of the workbook, when the caller has it."""
    if book.matrix_missing:
        return []
    reworded = _reworded(book, catalogue, again or assessed_again(book, catalogue))
    return _listing(book) + ([reworded] if reworded else [])


#: Gaps columns whose words come from the catalogue, the unit's inputs or its assessment.
_WORDS = {"title": "Title", "must_do": "Must-do", "initiatives": "Initiatives", "lead": "Lead"}
_WORDS |= {"reason": "Reason"}


def _reworded(book: IcsWorkbook, catalogue: Catalogue, again: AssessedAgain) -> Issue | None:
    """A ``gaps-edited`` warning when the words of gaps on the Gaps sheet (Title, Must-do,
    Initiatives, Lead, Reason) are not what the merge wrote from the unit's inputs on Place
    data: a report lists the gaps as they are on Gaps, so it would show words the place did
    not write. Units whose Place data was changed by hand are left to place-data-edited."""
    if not again.units:
        return None
    from ltpgap.merge._content import ics_content
    from ltpgap.merge._tables import gaps_table, names_of

    try:
        ics = _ics_of(book, list(book.places))
        content = ics_content(ics, catalogue, again.units, generated_at="")
    except LtpgapError:  # a population the roll-up cannot weight by (metadata edited by hand)
        return None
    ids = {name: unit for unit, name in names_of(content).items()}
    keys = list(_WORDS)
    wrote = {
        (ids.get(str(row[0]), str(row[0])), str(row[1])): dict(zip(keys, row[2:], strict=True))
        for row in gaps_table(content).rows
    }
    gaps = book.gaps
    columns = [gaps[k].tolist() for k in keys]
    columns[keys.index("must_do")] = ["Yes" if v is True else "No" for v in gaps["must_do"]]
    changed: dict[tuple[str, str], list[str]] = {}
    places, paras = _texts(gaps["place"]), _texts(gaps["para"])
    for i, pair in enumerate(zip(places, paras, strict=True)):
        merged = wrote.get(pair)
        if merged is None or pair in changed:
            continue
        changed[pair] = [
            _WORDS[k]
            for k, column in zip(keys, columns, strict=True)
            if (shown := column[i]) != (given := merged[k]) and cell_text(shown) != cell_text(given)
        ]
    edited = [(pair, fields) for pair, fields in changed.items() if fields]
    if not edited:
        return None
    names = {p.id: p.name for p in book.places} | {book.unit_id: book.unit_name}
    listed = "; ".join(
        f"{names.get(unit, unit)} {para}: {' and '.join(fields)}"
        for (unit, para), fields in edited[:10]
    )
    more = f"; and {len(edited) - 10} more" if len(edited) > 10 else ""
    return make_issue(
        "gaps-edited",
        f"the words of {len(edited)} gap(s) on the {GAPS} sheet are not what the merge wrote "
        f"from the inputs on {PLACE_DATA} ({listed}{more}): edited by hand? A report lists the "
        "gaps as they are on Gaps, so it would show the words typed, not the place's. Merge "
        "again into this workbook to write them back; to change them, change the inputs in the "
        "place's workbook.",
        where=Where(file=book.path, sheet=GAPS),
        severity=Severity.WARNING,
    )


def _listing(book: IcsWorkbook) -> list[Issue]:
    """Gaps against the matrix's Reds: rows left out, rows that are not gaps."""
    m = book.matrix
    paras = _texts(m["para"])
    units = [p for p in book.places if p.id in m.columns]
    expected = {
        (p.id, para)
        for p in units
        for para, rag in zip(paras, _texts(m[p.id]), strict=True)
        if rag == "Red" and para  # a row with its Para blanked is no commitment's
    }
    if book.scope == "ics-merge":  # ICS-level commitments: the ICS team's, once
        team = zip(paras, _texts(m["level"]), _texts(m["ics_rag"]), strict=True)
        expected |= {
            (book.unit_id, para)
            for para, level, rag in team
            if level == "ics" and rag == "Red" and para
        }
    found = set(zip(_texts(book.gaps["place"]), _texts(book.gaps["para"]), strict=True))
    if found == expected:
        return []
    rank = {para: i for i, para in enumerate(paras)}
    order = {unit.id: i for i, unit in enumerate((*units, *([book.team] if book.team else [])))}

    def ordered(pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
        return sorted(pairs, key=lambda p: (rank.get(p[1], len(rank)), order.get(p[0], 0), p))

    names = {p.id: p.name for p in book.places} | {book.unit_id: book.unit_name}
    where = Where(file=book.path, sheet=GAPS)
    issues = []
    if missing := ordered(expected - found):
        issues.append(
            make_issue(
                "gaps-edited",
                f"the {GAPS} sheet leaves out {len(missing)} Red(s) of the {MATRIX} "
                f"({_listed(missing, names)}): rows deleted by hand? A report lists the gaps "
                "on Gaps, so it would leave them out. Merge again into this workbook to write "
                "every gap back.",
                where=where,
                severity=Severity.WARNING,
            )
        )
    if extra := ordered(found - expected):
        issues.append(
            make_issue(
                "gaps-edited",
                f"the {GAPS} sheet lists {len(extra)} gap(s) that the {MATRIX} does not show at "
                f"Red ({_listed(extra, names)}): added, or left after a RAG was typed over, by "
                "hand? A report lists the gaps on Gaps. Merge again into this workbook to write "
                "them afresh.",
                where=where,
                severity=Severity.WARNING,
            )
        )
    return issues
