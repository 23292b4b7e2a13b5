"""Load and validate ``commitments.yaml``: every problem collected, located and explained."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any, cast

from ltpgap._yaml import Node, YamlLimits, read_yaml
from ltpgap.catalogue.model import (
    LEVELS,
    Catalogue,
    CatalogueInfo,
    Commitment,
    HeadlineMetric,
    Level,
    ProgrammeArea,
    Provenance,
)
from ltpgap.dates import parse_deadline
from ltpgap.issues import Issue, LtpgapError, Severity, Where, has_errors, make_issue

__all__ = ["check_catalogue", "default_catalogue_path", "load_catalogue"]

_ID = re.compile(r"^(\d+)\.(\d+)([a-z]?)$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
_REQUIRED = ("chapter", "programme_area", "title", "commitment", "deadline", "must_do", "level")
_OPTIONAL = (
    "section",
    "life_course",
    "headline_metric",
    "target",
    "provenance",
    "replaces",
    "if_section",
)
_KNOWN = {"id", *_REQUIRED, *_OPTIONAL}
_MUST_DO_SECTIONS = {2, 3}
_DEADLINE_HINT = "write it as an NHS financial year '2023/24', 'YYYY-MM', 'YYYY-MM-DD' or 'YYYY'"


def default_catalogue_path() -> Path:
    """The catalogue shipped with ltpgap (package data, or the repository's top-level file)."""
    packaged = resources.files("ltpgap").joinpath("data/commitments.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "commitments.yaml"


class _Collector:
    """Gathers issues for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []

    def add(self, code: str, message: str, line: int | None, commitment: str | None = None) -> None:
        self.issues.append(
            make_issue(code, message, where=Where(file=self.file, line=line), commitment=commitment)
        )


def _text(node: Node, key: str) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def _parse_info(root: Node, out: _Collector) -> CatalogueInfo:
    head = root.get("catalogue")
    if not isinstance(head, Node):
        out.add(
            "missing-field",
            "the file has no 'catalogue:' block (id, version, title, source); add one at the top.",
            root.line,
        )
        return CatalogueInfo(id="unknown", version="0.0.0", title="", source="")
    for key in ("id", "version", "title"):
        if _text(head, key) is None:
            out.add("missing-field", f"catalogue.{key} is missing; add it.", head.line_of(key))
    version = _text(head, "version") or "0.0.0"
    if not _SEMVER.match(version):
        out.add(
            "bad-version",
            f"catalogue.version '{version}' is not x.y.z; use a semantic version such as 1.0.0.",
            head.line_of("version"),
        )
    return CatalogueInfo(
        id=_text(head, "id") or "unknown",
        version=version,
        title=_text(head, "title") or "",
        source=_text(head, "source") or "",
    )


def _parse_named_list(
    root: Node, key: str, out: _Collector, *, with_group: bool = False
) -> list[Node]:
    items = root.get(key)
    if items is None:
        out.add("missing-field", f"the '{key}:' list is missing; add it.", root.line)
        return []
    if not isinstance(items, list):
        out.add("yaml-shape", f"'{key}' must be a list.", root.line_of(key))
        return []
    good: list[Node] = []
    seen: dict[str, int] = {}
    for item in items:
        if not isinstance(item, Node) or _text(item, "id") is None or _text(item, "name") is None:
            out.add(
                "yaml-shape",
                f"each entry of '{key}' needs an id and a name, e.g. {{id: x, name: X}}.",
                item.line if isinstance(item, Node) else root.line_of(key),
            )
            continue
        ident = str(item["id"])
        if ident in seen:
            out.add(
                "duplicate-id",
                f"{key} id '{ident}' is used twice (first on line {seen[ident]}); rename one.",
                item.line,
            )
            continue
        seen[ident] = item.line
        good.append(item)
    return good


def _parse_life_course(root: Node, out: _Collector) -> tuple[str, ...]:
    value = root.get("life_course")
    if value is None:
        return ("starting_well", "living_well", "ageing_well")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        out.add("yaml-shape", "'life_course' must be a list of ids.", root.line_of("life_course"))
        return ()
    return tuple(value)


def _commitment_id(node: Node, out: _Collector) -> str | None:
    if "id" not in node:
        out.add("missing-field", 'a commitment has no id; add id: "x.y".', node.line)
        return None
    value = node["id"]
    raw = node.raw.get("id", str(value))
    line = node.line_of("id")
    if not isinstance(value, str):
        out.add(
            "id-not-string",
            f"id {raw} is written as a bare number, which YAML reads as {value!r} "
            f"(so '3.10' would become 3.1); write it in quotes: id: \"{raw}\".",
            line,
            commitment=raw,
        )
        return None
    ident = value.strip()
    if not _ID.match(ident):
        out.add(
            "bad-id",
            f'id \'{ident}\' is not an LTP paragraph such as "2.9" or "3.52a"; fix the id.',
            line,
            commitment=ident,
        )
        return None
    return ident


def _parse_commitment(
    node: Any,
    out: _Collector,
    areas: set[str],
    stages: set[str],
    metrics: set[str],
) -> Commitment | None:
    if not isinstance(node, Node):
        out.add("yaml-shape", "each commitment must be a mapping of fields.", None)
        return None
    ident = _commitment_id(node, out)
    cid = ident or node.raw.get("id")
    start = len(out.issues)

    def bad(code: str, message: str, key: str) -> None:
        out.add(code, message, node.line_of(key), commitment=cid)

    for key in node:
        if key not in _KNOWN:
            bad("unknown-field", f"field '{key}' is not part of a commitment; check spelling.", key)
    for key in _REQUIRED:
        if node.get(key) is None or (isinstance(node[key], str) and not node[key].strip()):
            bad("missing-field", f"'{key}' is missing; every commitment needs one.", key)

    chapter = node.get("chapter")
    if chapter is not None:
        if not isinstance(chapter, int) or isinstance(chapter, bool) or not 1 <= chapter <= 7:
            bad(
                "chapter-out-of-range",
                f"chapter {chapter!r} is not an LTP chapter; use a whole number 1 to 7.",
                "chapter",
            )
        elif ident and int(ident.split(".")[0]) != chapter:
            bad(
                "chapter-id-mismatch",
                f"chapter {chapter} differs from paragraph {ident}'s chapter; correct one.",
                "chapter",
            )
    area = node.get("programme_area")
    if area is not None and area not in areas:
        bad(
            "unknown-programme-area",
            f"programme area '{area}' is not declared; use one of {', '.join(sorted(areas))}.",
            "programme_area",
        )
    stage = node.get("life_course")
    if stage is not None and stage not in stages:
        bad(
            "unknown-life-course",
            f"life course '{stage}' is not declared; use one of {', '.join(sorted(stages))}.",
            "life_course",
        )
    metric = node.get("headline_metric")
    if metric is not None and str(metric) not in metrics:
        bad(
            "unknown-headline-metric",
            f"headline metric '{metric}' is not in headline_metrics; add it or fix the id.",
            "headline_metric",
        )
    deadline = node.get("deadline")
    due = parse_deadline(deadline) if deadline is not None else None
    if deadline is not None and due is None:
        bad("bad-deadline", f"deadline {deadline!r} cannot be read; {_DEADLINE_HINT}.", "deadline")
    level = node.get("level")
    if level is not None and level not in LEVELS:
        bad("bad-level", f"level '{level}' is not one of {', '.join(LEVELS)}.", "level")
    must_do = node.get("must_do")
    if must_do is not None and not isinstance(must_do, bool):
        bad("yaml-shape", f"must_do must be true or false, not {must_do!r}.", "must_do")
    title = _text(node, "title") or ""
    if len(title) > 80:
        bad("title-too-long", f"title is {len(title)} characters; shorten it to 80.", "title")
    if_section = node.get("if_section")
    if if_section is not None and (not isinstance(if_section, int) or not 2 <= if_section <= 8):
        bad(
            "yaml-shape",
            "if_section must be an Implementation Framework section 2-8.",
            "if_section",
        )
        if_section = None
    if isinstance(must_do, bool) and isinstance(if_section, int):
        _check_must_do(must_do, if_section, bad)
    provenance = _parse_provenance(node, bad)
    replaces = node.get("replaces") or []
    if not isinstance(replaces, list):
        bad("yaml-shape", 'replaces must be a list of ids, e.g. ["3.52"].', "replaces")
        replaces = []

    if ident is None or has_errors(out.issues[start:]):
        return None
    return Commitment(
        id=ident,
        chapter=cast(int, chapter),
        section=_text(node, "section") or "",
        programme_area=str(area),
        life_course=stage,
        title=title,
        commitment=" ".join(str(node["commitment"]).split()),
        deadline=str(deadline),
        due=cast(Any, due),
        must_do=bool(must_do),
        level=cast(Level, level),
        provenance=provenance,
        headline_metric=str(metric) if metric is not None else None,
        target=_text(node, "target"),
        if_section=if_section,
        replaces=tuple(str(r) for r in replaces),
        line=node.line,
    )


def _check_must_do(must_do: bool, if_section: int, bad: Any) -> None:
    expected = if_section in _MUST_DO_SECTIONS
    if must_do != expected:
        kind = "a national must-do" if expected else "locally phased"
        bad(
            "must-do-mismatch",
            f"must_do is {str(must_do).lower()} but Implementation Framework section "
            f"{if_section} is {kind}; sections 2-3 are must-dos, 4-8 are not.",
            "must_do",
        )


def _parse_provenance(node: Node, bad: Any) -> Provenance:
    value = node.get("provenance")
    if value is None:
        bad(
            "missing-field",
            'provenance is missing; add {para_verified: false, source: "..."}.',
            "provenance",
        )
        return Provenance(para_verified=False, source="")
    if not isinstance(value, Node) or not isinstance(value.get("para_verified"), bool):
        bad(
            "yaml-shape",
            "provenance needs para_verified: true/false and a source.",
            "provenance",
        )
        return Provenance(para_verified=False, source="")
    return Provenance(
        para_verified=bool(value["para_verified"]),
        source=str(value.get("source") or ""),
        note=str(value.get("note") or ""),
    )


def _content_hash(catalogue: dict[str, Any]) -> str:
    canonical = json.dumps(catalogue, sort_keys=True, default=str, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_catalogue(
    path: str | Path | None = None, *, limits: YamlLimits | None = None
) -> tuple[Catalogue | None, list[Issue]]:
    """Validate a catalogue file; return it (``None`` when it has errors) and every issue."""
    file = Path(path) if path is not None else default_catalogue_path()
    out = _Collector(str(file))
    try:
        root = read_yaml(file, limits=limits)
    except LtpgapError as exc:
        return None, list(exc.issues)
    if not isinstance(root, Node):
        out.add("yaml-shape", "the file must be a mapping with catalogue:, commitments: …", 1)
        return None, out.issues

    info = _parse_info(root, out)
    areas = [
        ProgrammeArea(id=str(n["id"]), name=str(n["name"]))
        for n in _parse_named_list(root, "programme_areas", out)
    ]
    metrics = [
        HeadlineMetric(id=str(n["id"]), name=str(n["name"]), group=str(n.get("group") or ""))
        for n in _parse_named_list(root, "headline_metrics", out)
    ]
    stages = _parse_life_course(root, out)
    items = root.get("commitments")
    if not isinstance(items, list) or not items:
        out.add("missing-field", "the 'commitments:' list is missing or empty.", root.line)
        items = []

    commitments: list[Commitment] = []
    first_line: dict[str, int] = {}
    area_ids, stage_ids, metric_ids = {a.id for a in areas}, set(stages), {m.id for m in metrics}
    for node in items:
        c = _parse_commitment(node, out, area_ids, stage_ids, metric_ids)
        if c is None:
            continue
        if c.id in first_line:
            out.add(
                "duplicate-id",
                f"commitment id '{c.id}' is used twice (first on line {first_line[c.id]}); "
                "give the second a letter suffix such as "
                f'"{c.id}b" or remove it.',
                c.line,
                commitment=c.id,
            )
            continue
        first_line[c.id] = c.line or 0
        commitments.append(c)

    if has_errors(out.issues):
        return None, out.issues
    content = {
        "info": asdict(info),
        "programme_areas": [asdict(a) for a in areas],
        "life_course": list(stages),
        "headline_metrics": [asdict(m) for m in metrics],
        "commitments": [asdict(c) | {"line": None} for c in commitments],
    }
    catalogue = Catalogue(
        info=info,
        programme_areas=tuple(areas),
        life_course=stages,
        headline_metrics=tuple(metrics),
        commitments=tuple(commitments),
        content_hash=_content_hash(content),
        path=str(file),
    )
    return catalogue, out.issues


def load_catalogue(
    path: str | Path | None = None, *, limits: YamlLimits | None = None
) -> Catalogue:
    """Load a valid catalogue, or raise :class:`LtpgapError` listing every error found."""
    catalogue, issues = check_catalogue(path, limits=limits)
    if catalogue is None:
        errors = [i for i in issues if i.severity is Severity.ERROR]
        raise LtpgapError(errors, summary=f"the catalogue has {len(errors)} error(s)")
    return catalogue
