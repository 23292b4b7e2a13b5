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
from ltpgap.issues import Issue, Severity, Where, make_issue
from ltpgap.merge._sheets import GAPS, LEVEL_WORDS, MATRIX
from ltpgap.merge.ics_data import IcsWorkbook
from ltpgap.rag import IcsRollup, rollup_ics, rollup_region

__all__ = ["gaps_edited", "typed_over"]


def _recomputed(book: IcsWorkbook, catalogue: Catalogue) -> IcsRollup:
    m = book.matrix
    paras = m["para"].astype(str).tolist()
    units = [p for p in book.places if p.id in m.columns]
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
            "rag": [v for p in units for v in m[p.id].tolist()],
        }
        team = {"para": paras, "rag": m["ics_rag"].tolist()}  # ICS-level rows: taken as given
        return rollup_ics(catalogue, long, ics=ics, ics_rags=team)
    results = {p.id: pd.DataFrame({"para": paras, "ics_rag": m[p.id].tolist()}) for p in units}
    return rollup_region(catalogue, results, {p.id: p.population for p in units}, book.rules)


def typed_over(book: IcsWorkbook, catalogue: Catalogue, *, replaced_by: str = "") -> list[Issue]:
    """A ``matrix-result-edited`` warning for each row whose level RAG differs from what its
    unit RAGs give under the workbook's rules; ``replaced_by``: said by a merge or roll-up
    ('merge', 'roll-up') into the workbook, which works every result out again. Nothing when
    the matrix cannot be read (``ics-matrix-damaged`` says so) or the workbook was made with
    another catalogue."""
    if book.matrix_missing or book.catalogue_hash != catalogue.content_hash or book.matrix.empty:
        return []
    rolled = _recomputed(book, catalogue)
    computed = dict(zip(rolled.column("para"), rolled.column("ics_rag"), strict=True))
    level = f"{LEVEL_WORDS.get(book.scope, 'ICS')} RAG"
    units = "ICSs" if book.scope == "region" else "regions" if book.scope == "national" else ""
    units = units or "places"
    issues = []
    for para, shown in zip(book.matrix["para"].astype(str), book.matrix["ics_rag"], strict=True):
        rag = computed.get(para)
        if rag is None or shown == rag:
            continue
        what = (
            f"This {replaced_by} works every result out again, so the value typed is not kept"
            if replaced_by
            else f"It is read as it is. Merge again into this workbook to put back '{rag}'"
        )
        issues.append(
            make_issue(
                "matrix-result-edited",
                f"the {level} of {para} is '{shown}' on the {MATRIX}, but the {units}' RAGs on "
                f"its row give '{rag}' under the rules in force (typed over by hand?). {what}; "
                "to change a result, change the inputs (a RAG override with its reason) in the "
                "workbook they come from.",
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
    paras = m["para"].astype(str).tolist()
    units = [p for p in book.places if p.id in m.columns]
    expected = {
        (p.id, para)
        for p in units
        for para, rag in zip(paras, m[p.id].tolist(), strict=True)
        if rag == "Red"
    }
    if book.scope == "ics-merge":  # ICS-level commitments: the ICS team's, once
        team = zip(paras, m["level"].tolist(), m["ics_rag"].tolist(), strict=True)
        expected |= {
            (book.unit_id, para) for para, level, rag in team if level == "ics" and rag == "Red"
        }
    found = set(zip(book.gaps["place"].astype(str), book.gaps["para"].astype(str), strict=True))
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
