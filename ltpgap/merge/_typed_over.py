"""Results changed by hand in an ICS workbook: a level RAG that its row's unit RAGs do not
give (``matrix-result-edited``), and a Gaps sheet that does not list the matrix's Reds
(``gaps-edited``).

The ICS RAG (or Region/National RAG) of each row is the §6 roll-up of the unit RAGs beside it,
by the rules the workbook records. `ltpgap summary`, `report`, `check` and `rollup` read the
matrix as it is, so a result typed over by hand (Red made Green before a board) would reach a
board paper or a region's roll-up without a word. Worked out again here from the same row, a
result that differs is named (``matrix-result-edited``). Rows assessed once by the ICS team
(ICS-level commitments) have no unit RAGs beside them to check against.
"""

from __future__ import annotations

import pandas as pd

from ltpgap.catalogue import Catalogue
from ltpgap.ics import IcsConfig, Place
from ltpgap.issues import Issue, LtpgapError, Severity, Where, make_issue
from ltpgap.merge._sheets import GAPS, LEVEL_WORDS, MATRIX
from ltpgap.merge.ics_data import IcsWorkbook
from ltpgap.rag import IcsRollup, rollup_ics, rollup_region
from ltpgap.schema import RAG_VALUES, cell_text

__all__ = ["gaps_edited", "typed_over"]


def _texts(values: pd.Series) -> list[str]:
    """A column's cells as text, "" for a blank (None or NaN, which pandas keeps through
    ``astype(str)``)."""
    return [cell_text(v) for v in values]


def _rows(book: IcsWorkbook, catalogue: Catalogue) -> pd.DataFrame:
    """The matrix rows the roll-up can take: each catalogue Para once (the first row of a Para
    copied by hand), every cell as text."""
    m = book.matrix
    frame = pd.DataFrame({c: _texts(m[c]) for c in m.columns}, index=range(len(m)))
    frame = frame[frame["para"].isin(catalogue.ids)]
    return frame.drop_duplicates("para")


def _as_rag(values: pd.Series) -> list[str]:
    """Unit RAGs as the roll-up takes them: anything that is not a RAG (typed over with other
    text, or blanked) counts as Not assessed, and is named on its own (see _not_rags)."""
    return [v if v in RAG_VALUES else "Not assessed" for v in values]


def _recomputed(book: IcsWorkbook, catalogue: Catalogue, rows: pd.DataFrame) -> IcsRollup:
    paras = rows["para"].tolist()
    units = [p for p in book.places if p.id in rows.columns]
    if book.scope == "ics-merge":
        ics = IcsConfig(
            id=book.unit_id,
            name=book.unit_name,
            places=tuple(Place(id=p.id, name=p.name, population=p.population) for p in units),
            rules=book.rules,
        )
        long = {
            "place": [p.id for p in units for _ in paras],
            "para": paras * len(units),
            "rag": [v for p in units for v in _as_rag(rows[p.id])],
        }
        team = {"para": paras, "rag": _as_rag(rows["ics_rag"])}  # ICS-level rows: as given
        return rollup_ics(catalogue, long, ics=ics, ics_rags=team)
    results = {p.id: pd.DataFrame({"para": paras, "ics_rag": _as_rag(rows[p.id])}) for p in units}
    return rollup_region(catalogue, results, {p.id: p.population for p in units}, book.rules)


def _not_rags(book: IcsWorkbook, rows: pd.DataFrame, tail: str) -> list[Issue]:
    """A unit's cell on the matrix that holds no RAG at all (typed over, or blanked)."""
    issues = []
    for unit in [p for p in book.places if p.id in rows.columns]:
        for para, shown in zip(rows["para"], rows[unit.id], strict=True):
            if shown in RAG_VALUES:
                continue
            issues.append(
                make_issue(
                    "matrix-result-edited",
                    f"{unit.name}'s RAG of {para} is {repr(shown) if shown else 'blank'} on the "
                    f"{MATRIX}, which is not a RAG (typed over by hand?). {tail}",
                    where=Where(file=book.path, sheet=MATRIX),
                    severity=Severity.WARNING,
                    commitment=para,
                )
            )
    return issues


def typed_over(book: IcsWorkbook, catalogue: Catalogue, *, replaced_by: str = "") -> list[Issue]:
    """A ``matrix-result-edited`` warning for each row whose level RAG differs from what its
    unit RAGs give under the workbook's rules; ``replaced_by``: said by a merge or roll-up
    ('merge', 'roll-up') into the workbook, which works every result out again. Nothing when
    the matrix cannot be read (``ics-matrix-damaged`` says so) or the workbook was made with
    another catalogue."""
    if book.matrix_missing or book.catalogue_hash != catalogue.content_hash or book.matrix.empty:
        return []
    rows = _rows(book, catalogue)
    try:
        rolled = _recomputed(book, catalogue, rows)
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
    issues = _not_rags(book, rows, f"{kept}; {advice}")
    for para, shown in zip(rows["para"], rows["ics_rag"], strict=True):
        rag = computed.get(para)
        if rag is None or shown == rag:
            continue
        if shown not in RAG_VALUES:  # blanked, or other text: whatever its row gives
            found = f"{repr(shown) if shown else 'blank'} on the {MATRIX}, which is not a RAG"
            what = kept
        else:
            found = (
                f"'{shown}' on the {MATRIX}, but the {units}' RAGs on its row give '{rag}' "
                "under the rules in force"
            )
            what = kept if replaced_by else f"{put_back} '{rag}'"
        issues.append(
            make_issue(
                "matrix-result-edited",
                f"the {level} of {para} is {found} (typed over by hand?). {what}; {advice}",
                where=Where(file=book.path, sheet=MATRIX),
                severity=Severity.WARNING,
                commitment=para,
            )
        )
    return issues


def _listed(pairs: list[tuple[str, str]], names: dict[str, str], most: int = 10) -> str:
    shown = [f"{names.get(unit, unit)} {para}" for unit, para in pairs[:most]]
    more = f" and {len(pairs) - most} more" if len(pairs) > most else ""
    return ", ".join(shown) + more


def gaps_edited(book: IcsWorkbook) -> list[Issue]:
    """``gaps-edited`` warnings when the Gaps sheet does not list every Red of the ICS matrix
    (a row deleted by hand: a gap the report would leave out), or lists a gap the matrix does
    not show at Red (added or left behind by hand). Nothing when the matrix cannot be read."""
    if book.matrix_missing:
        return []
    m = book.matrix
    paras = _texts(m["para"])
    units = [p for p in book.places if p.id in m.columns]
    expected = {
        (p.id, para)
        for p in units
        for para, rag in zip(paras, _texts(m[p.id]), strict=True)
        if rag == "Red"
    }
    if book.scope == "ics-merge":  # ICS-level commitments: the ICS team's, once
        team = zip(paras, _texts(m["level"]), _texts(m["ics_rag"]), strict=True)
        expected |= {
            (book.unit_id, para) for para, level, rag in team if level == "ics" and rag == "Red"
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
