"""The ICS configuration (SPEC §3): the system, its places, populations and rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ltpgap._yaml import Node, read_yaml
from ltpgap.issues import Issue, LtpgapError, Where, has_errors, make_issue

__all__ = [
    "IcsConfig",
    "Place",
    "ReportDefaults",
    "Rules",
    "default_ics_path",
    "load_ics",
]

RollRule = Literal["worst", "weighted"]
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Place:
    """A place (e.g. Luton) with its ONS code and population, the weight in roll-ups."""

    id: str
    name: str
    population: int
    ons_code: str = ""
    #: Line of the ICS file where the place is listed (for problems about it); not compared.
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """How place RAGs combine into an ICS RAG (SPEC §6); every value can be overridden."""

    must_do: RollRule = "worst"
    others: RollRule = "weighted"
    green_weight: float = 1.0
    amber_weight: float = 0.5
    red_weight: float = 0.0
    green_threshold: float = 0.8
    amber_threshold: float = 0.4
    min_assessed_share: float = 0.5

    def describe(self) -> list[str]:
        """The rules in force, in planners' words (printed in reports)."""
        weighted = (
            f"population-weighted score (Green {self.green_weight:g}, Amber "
            f"{self.amber_weight:g}, Red {self.red_weight:g}); Green if ≥ "
            f"{self.green_threshold:g}, Amber if ≥ {self.amber_threshold:g}, otherwise Red"
        )
        worst = "the worst place RAG (any Red gives Red)"
        return [
            f"Must-do commitments: {worst if self.must_do == 'worst' else weighted}.",
            f"Other commitments: {weighted if self.others == 'weighted' else worst}.",
            "ICS-level commitments are assessed once, in the ICS team's workbook; region- and "
            "national-level commitments are N/A in ICS figures.",
            f"Not assessed when the places assessed hold less than "
            f"{self.min_assessed_share:.0%} of the population where the commitment applies.",
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportDefaults:
    """Cover-page fields for board reports (may be overridden on the command line)."""

    organisation: str = ""
    meeting: str = ""
    purpose: str = ""
    recommendation: str = ""
    key_risks: str = ""


@dataclass(frozen=True, kw_only=True)
class IcsConfig:
    """An ICS: id, name, places with populations, as-at date and rules."""

    id: str
    name: str
    places: tuple[Place, ...]
    as_at: date | None = None
    rules: Rules = field(default_factory=Rules)
    region_id: str = ""
    region_name: str = ""
    ons_code: str = ""
    local_priorities: Mapping[str, str] = field(default_factory=dict)
    report: ReportDefaults = field(default_factory=ReportDefaults)
    path: str | None = field(default=None, compare=False)
    #: Line of the ``ics:`` block in that file (for problems about the ICS team); not compared.
    line: int | None = field(default=None, compare=False)

    @property
    def population(self) -> int:
        """Total population of the places."""
        return sum(p.population for p in self.places)

    def place(self, place_id: str) -> Place | None:
        """The place with this id, or ``None``."""
        return next((p for p in self.places if p.id == place_id), None)

    @property
    def place_ids(self) -> tuple[str, ...]:
        """Place ids in configured order."""
        return tuple(p.id for p in self.places)

    def with_rules(self, **overrides: Any) -> IcsConfig:
        """A copy with some rules replaced."""
        return replace(self, rules=replace(self.rules, **overrides))


def default_ics_path() -> Path:
    """The embedded BLMK configuration."""
    return Path(str(resources.files("ltpgap").joinpath("data/blmk.yaml")))


_RULE_KEYS = {
    "must_do",
    "others",
    "weights",
    "green_threshold",
    "amber_threshold",
    "min_assessed_share",
}


def _parse_rules(node: Any, add: Any) -> Rules:
    if node is None or node == {}:
        return Rules()
    if not isinstance(node, Node):
        add("bad-rule", "rules must be a mapping such as {must_do: worst}.", None)
        return Rules()
    values: dict[str, Any] = {}
    for key, value in node.items():
        line = node.line_of(key)
        if key not in _RULE_KEYS:
            add("bad-rule", f"rule '{key}' is unknown; use one of {sorted(_RULE_KEYS)}.", line)
        elif key in ("must_do", "others"):
            if value not in ("worst", "weighted"):
                add("bad-rule", f"rules.{key} must be 'worst' or 'weighted', not {value!r}.", line)
            else:
                values[key] = value
        elif key == "weights":
            if not isinstance(value, Node) or set(value) - {"Green", "Amber", "Red"}:
                add("bad-rule", "rules.weights must map Green, Amber and Red to numbers.", line)
                continue
            for rag in ("Green", "Amber", "Red"):
                if rag in value:
                    values[f"{rag.lower()}_weight"] = float(value[rag])
        elif not isinstance(value, int | float) or not 0 <= value <= 1:
            add("bad-rule", f"rules.{key} must be a number from 0 to 1, not {value!r}.", line)
        else:
            values[key] = float(value)
    rules = Rules(**values)
    if rules.amber_threshold > rules.green_threshold:
        add("bad-rule", "amber_threshold must not exceed green_threshold.", node.line)
    return rules


def _parse_places(root: Node, add: Any) -> list[Place]:
    items = root.get("places")
    if not isinstance(items, list) or not items:
        add("missing-field", "the 'places:' list is missing or empty.", root.line)
        return []
    places: list[Place] = []
    seen: set[str] = set()
    names: dict[str, str] = {}  # name, case folded → the id that has it
    for item in items:
        if not isinstance(item, Node):
            add("yaml-shape", "each place needs id, name and population.", root.line_of("places"))
            continue
        pid, name, pop = item.get("id"), item.get("name"), item.get("population")
        if not isinstance(pid, str) or not _ID.match(pid):
            add("bad-id", f"place id {pid!r} must be lower-case letters, digits and _.", item.line)
            continue
        if pid in seen:
            add("duplicate-id", f"place id '{pid}' appears twice; ids must be unique.", item.line)
            continue
        if not isinstance(pop, int) or isinstance(pop, bool) or pop <= 0:
            add(
                "bad-population",
                f"place '{pid}' population {pop!r} must be a positive whole number "
                "(e.g. the ONS mid-year estimate).",
                item.line_of("population"),
            )
            continue
        seen.add(pid)
        shown = str(name or pid).strip()
        if (other := names.setdefault(shown.casefold(), pid)) != pid:
            add(
                "duplicate-name",
                f"places '{other}' and '{pid}' are both named '{shown}'; give each its own "
                "name (it heads the place's column in the ICS workbook, where two columns "
                "cannot share one).",
                item.line_of("name"),
            )
            continue
        places.append(
            Place(
                id=pid,
                name=str(name or pid),
                population=pop,
                ons_code=str(item.get("ons_code") or ""),
                line=item.line,
            )
        )
    return places


def load_ics(path: str | Path | None = None) -> IcsConfig:
    """Load an ICS file (default: embedded BLMK); raise :class:`LtpgapError` on errors."""
    file = Path(path) if path is not None else default_ics_path()
    root = read_yaml(file)
    issues: list[Issue] = []

    def add(code: str, message: str, line: int | None) -> None:
        issues.append(make_issue(code, message, where=Where(file=str(file), line=line)))

    if not isinstance(root, Node):
        add("yaml-shape", "an ICS file must be a mapping with ics:, places: …", 1)
        raise LtpgapError(issues)
    head = root.get("ics")
    if not isinstance(head, Node) or not isinstance(head.get("id"), str):
        add("missing-field", "the 'ics: {id: …, name: …}' block is missing.", root.line)
        head = Node()
        head.line, head.key_lines, head.raw = root.line, {}, {}
    places = _parse_places(root, add)
    rules = _parse_rules(root.get("rules"), add)
    as_at = root.get("as_at")
    if as_at is not None and not isinstance(as_at, date):
        add(
            "bad-date", f"as_at {as_at!r} must be a date such as 2019-07-01.", root.line_of("as_at")
        )
        as_at = None
    region: dict[str, Any] = root["region"] if isinstance(root.get("region"), Node) else {}
    report: dict[str, Any] = root["report"] if isinstance(root.get("report"), Node) else {}
    priorities: dict[str, Any] = dict(root.get("local_priorities") or {})
    if has_errors(issues):
        raise LtpgapError(issues, summary=f"the ICS file {file} has problems")
    return IcsConfig(
        id=str(head.get("id")),
        name=str(head.get("name") or head.get("id")),
        places=tuple(places),
        as_at=as_at,
        rules=rules,
        region_id=str(region.get("id") or ""),
        region_name=str(region.get("name") or ""),
        ons_code=str(root.get("ons_code") or ""),
        local_priorities={str(k): str(v) for k, v in priorities.items()},
        report=ReportDefaults(
            **{k: str(v) for k, v in report.items() if k in ReportDefaults.__slots__}
        ),
        path=str(file),
        line=root.line_of("ics"),
    )
