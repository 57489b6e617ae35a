"""Rule packs: a folder ``rules/<treaty>/`` with a manifest (``treaty.yaml``) and ``.lp`` files.

The manifest is the pack's vocabulary (parties, regions, event types and their fields,
provisions, readings, parameters). The engine validates scenarios against it and knows
nothing else about any treaty. Every pack also uses the shared rules in ``rules/common/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import PackError, Problem, did_you_mean
from checker.io.document import LDict, SourceProblem, new_dict
from checker.io.files import read_text
from checker.io.yamltext import read_yaml

MANIFEST = "treaty.yaml"
COMMON = "common"
WORD = re.compile(r"^[a-z][a-z0-9_]*$")
PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
FIELD_TYPES = ("party", "region", "enum", "event", "text")
PROVISION_KINDS = ("achievement", "maintenance", "condition", "set_aside")
PROVISION_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class FieldSpec:
    """One field of an event type."""

    name: str
    type: str
    required: bool = False
    is_list: bool = False
    values: tuple[str, ...] = ()
    to: str | None = None
    unknown: bool = False


@dataclass(frozen=True)
class EventType:
    name: str
    fields: dict[str, FieldSpec]
    says: str


@dataclass(frozen=True)
class Provision:
    id: str
    kind: str
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class Reading:
    name: str
    choices: tuple[str, ...]
    default: str
    meaning: str = ""


@dataclass(frozen=True)
class Parameter:
    name: str
    default: int
    meaning: str = ""


@dataclass(frozen=True)
class Pack:
    """A loaded, checked rule pack."""

    name: str
    folder: Path
    title: str
    source: str
    fixed_roles: dict[str, tuple[str, ...]]
    lists: dict[str, tuple[str, ...]]
    non_party: frozenset[str]
    unknown_word: str | None
    regions: tuple[str, ...]
    excluded_regions: tuple[str, ...]
    never_excluded: tuple[str, ...]
    event_types: dict[str, EventType]
    provisions: dict[str, Provision]
    readings: dict[str, Reading]
    parameters: dict[str, Parameter]
    rule_files: tuple[Path, ...] = field(default=())

    @property
    def default_party_names(self) -> set[str]:
        names = {n for members in self.fixed_roles.values() for n in members}
        names.update(n for members in self.lists.values() for n in members)
        return names


BUNDLED = "packs"  # where a wheel carries the top-level rules/ folder: checker/packs/


def default_rules_root() -> Path:
    """The packs shipped with the checker: ``checker/packs`` in an installed wheel, else the
    ``rules/`` folder of the source tree the package runs from (a clone or an editable install)."""
    from importlib.resources import files

    bundled = files("checker") / BUNDLED
    if isinstance(bundled, Path) and bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[2] / "rules"


def find_rules_root(treaty: str, near: Path | None) -> Path:
    """The first ``rules/`` folder holding ``treaty``: beside or above ``near``, then ./rules,
    then the packs shipped with the checker. PackError when none holds it, saying where it looked."""
    if not PACK_NAME.match(treaty) or ".." in treaty:
        return default_rules_root()  # load_pack says what is wrong with the name
    candidates: list[Path] = []
    if near is not None:
        candidates.extend(p / "rules" for p in Path(near).resolve().parents)
    here = Path.cwd() / "rules"
    candidates.append(here)
    for root in candidates:
        if (root / treaty / MANIFEST).exists():
            return root
    shipped = default_rules_root()  # last, and only then: importlib.resources costs 2 ms to import
    if (shipped / treaty / MANIFEST).is_file():
        return shipped
    known = sorted({name for root in dict.fromkeys(candidates + [shipped]) for name in known_packs(root)})
    looked = [f"{here}"]
    if near is not None and Path(near).resolve().parent / "rules" != here:
        looked.insert(0, f"{Path(near).resolve().parent / 'rules'} or a rules/ folder above it")
    raise PackError(f"treaty: no rule pack {treaty!r}{did_you_mean(treaty, known)} in {', in '.join(looked)} "
                    f"or among the packs shipped with the checker in {shipped} "
                    f"(known: {', '.join(known) or 'none'}); point --rules DIR at a folder holding "
                    f"{treaty}/{MANIFEST}")


def known_packs(rules_root: Path) -> list[str]:
    """The names of the packs directly under ``rules_root`` (folders with a manifest), sorted."""
    if not rules_root.is_dir():
        return []
    return sorted(p.name for p in rules_root.iterdir() if (p / MANIFEST).exists())


# keyed by the manifest's modification time too: a long-running process (the pytest
# plugin, an editor integration) sees an edited manifest
_CACHE: dict[tuple[Path, int], Pack] = {}


def load_pack(name: str, rules_root: Path) -> Pack:
    """Load pack ``name`` from ``rules_root`` (cached); PackError names what is wrong."""
    if not PACK_NAME.fullmatch(name) or ".." in name:
        raise PackError(f"treaty: {name!r} is not a treaty name")
    folder = (rules_root / name).resolve()
    manifest = folder / MANIFEST
    try:
        stamp = manifest.stat().st_mtime_ns
    except OSError:
        stamp = -1
    cached = _CACHE.get((folder, stamp))
    if cached is not None:
        return cached
    if not manifest.exists():  # (a manifest that is no regular file is refused when read)
        known = known_packs(rules_root)
        raise PackError(f"treaty: no rule pack {name!r}{did_you_mean(name, known)} in {rules_root} "
                        f"(known: {', '.join(known) or 'none'}); point --rules DIR at a folder holding "
                        f"{name}/{MANIFEST}")
    pack = _read_manifest(name, folder, manifest)
    _CACHE[(folder, stamp)] = pack
    return pack


def rule_files(pack: Pack) -> list[Path]:
    """The common rule files first, then the pack's own, each group sorted by name, once they
    are known to stay in the pack's folder and rules/common/ (PackError: see io.rules)."""
    from checker.io.rules import confined

    return confined(listed_rule_files(pack), rule_roots(pack))


def listed_rule_files(pack: Pack) -> list[Path]:
    """rule_files, unchecked: what the folders hold."""
    return sorted((pack.folder.parent / COMMON).glob("*.lp")) + list(pack.rule_files)


def rule_roots(pack: Pack) -> list[Path]:
    """The folders a pack's rules may read from: its own and rules/common/."""
    return [pack.folder, pack.folder.parent / COMMON]


MANIFEST_BYTES = 4 * 1024 * 1024  # a manifest is a page or two of YAML


def read_manifest(path: Path, shown: str | None = None):
    """The parsed YAML of a pack's file (its manifest, its templates), lines kept; PackError
    with the line when it cannot be read or is not plain YAML data."""
    shown = str(path) if shown is None else shown
    text = read_text(path, shown, limit=MANIFEST_BYTES, what="pack files", error=PackError)
    try:
        return read_yaml(text)
    except SourceProblem as exc:
        raise PackError([Problem(shown, exc.line, exc.kind, exc.message)]) from None


def _read_manifest(name: str, folder: Path, path: Path) -> Pack:
    shown = str(path)
    data = read_manifest(path, shown)
    problems: list[Problem] = []

    def bad(node, key, message):
        line = node.key_lines.get(key, node.line) if isinstance(node, LDict) else getattr(node, "line", 1)
        problems.append(Problem(shown, line, key, message))

    if not isinstance(data, LDict):
        raise PackError([Problem(shown, 1, "manifest", "must be a mapping")])

    def words(node, key, allow_empty=True) -> tuple[str, ...]:
        value = node.get(key, []) if isinstance(node, dict) else []
        if not isinstance(value, list) or not all(isinstance(v, str) and WORD.fullmatch(v) for v in value):
            bad(node, key, "must be a list of lower-case words")
            return ()
        if not value and not allow_empty:
            bad(node, key, "must not be empty")
        return tuple(value)

    parties = data.get("parties", new_dict())
    fixed = {k: words(parties.get("fixed", {}), k) for k in parties.get("fixed", {})}
    lists = {k: words(parties.get("lists", {}), k) for k in parties.get("lists", {})}
    non_party = frozenset(words(parties, "non_party"))
    unknown_word = parties.get("unknown")
    regions = words(data, "regions", allow_empty=False)
    excluded = words(data, "excluded_regions")
    never = words(data, "never_excluded")
    for r in excluded + never:
        if r not in regions:
            bad(data, "excluded_regions", f"{r!r} is not among the regions")

    event_types: dict[str, EventType] = {}
    for tname, spec in (data.get("event_types") or {}).items():
        if not WORD.fullmatch(tname) or not isinstance(spec, dict):
            bad(data["event_types"], tname, "an event type is a lower-case word with `fields`")
            continue
        fields: dict[str, FieldSpec] = {}
        for fname, f in (spec.get("fields") or {}).items():
            if fname in ("id", "date", "type") or not WORD.fullmatch(fname) or not isinstance(f, dict):
                bad(spec.get("fields"), fname, "not a usable field name")
                continue
            ftype = f.get("type")
            if ftype not in FIELD_TYPES:
                bad(f, "type", f"must be one of {', '.join(FIELD_TYPES)}")
                continue
            values = tuple(f.get("values", ()))
            if ftype == "enum" and (not values or not all(isinstance(v, str) and WORD.fullmatch(v) for v in values)):
                bad(f, "values", "an enum needs a list of lower-case words")
            fields[fname] = FieldSpec(fname, ftype, bool(f.get("required", False)),
                                      bool(f.get("list", False)), values, f.get("to"),
                                      bool(f.get("unknown", False)))
        event_types[tname] = EventType(tname, fields, str(spec.get("says", tname)))
    for etype in event_types.values():
        for f in etype.fields.values():
            if f.type == "event" and f.to not in event_types:
                bad(data, "event_types", f"{etype.name}.{f.name} refers to unknown type {f.to!r}")

    provisions: dict[str, Provision] = {}
    for item in data.get("provisions") or []:
        pid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(pid, str) or not PROVISION_ID.fullmatch(pid):
            problems.append(Problem(shown, getattr(item, "line", 1), "provisions", f"bad provision id {pid!r}"))
            continue
        if item.get("kind") not in PROVISION_KINDS:
            bad(item, "kind", f"must be one of {', '.join(PROVISION_KINDS)}")
        if pid in provisions:
            bad(item, "id", f"duplicate provision {pid!r}")
        provisions[pid] = Provision(pid, str(item.get("kind")), str(item.get("title", "")),
                                    " ".join(str(item.get("text", "")).split()), str(item.get("source", "")))

    readings: dict[str, Reading] = {}
    for rname, spec in (data.get("readings") or {}).items():
        choices = tuple(spec.get("choices", ())) if isinstance(spec, dict) else ()
        if not WORD.fullmatch(rname) or not choices or not all(isinstance(c, str) and WORD.fullmatch(c) for c in choices):
            bad(data["readings"], rname, "a reading needs `choices`, a list of lower-case words")
            continue
        default = spec.get("default", choices[0])
        if default not in choices:
            bad(spec, "default", f"{default!r} is not one of its choices")
        readings[rname] = Reading(rname, choices, default, " ".join(str(spec.get("meaning", "")).split()))

    parameters: dict[str, Parameter] = {}
    for pname, spec in (data.get("parameters") or {}).items():
        default = spec.get("default") if isinstance(spec, dict) else None
        if not WORD.fullmatch(pname) or not isinstance(default, int) or isinstance(default, bool):
            bad(data["parameters"], pname, "a parameter needs an integer `default`")
            continue
        parameters[pname] = Parameter(pname, default, str(spec.get("meaning", "")))

    if problems:
        raise PackError(problems)
    return Pack(
        name=name, folder=folder, title=str(data.get("title", name)), source=str(data.get("source", "")),
        fixed_roles=fixed, lists=lists, non_party=non_party,
        unknown_word=unknown_word if isinstance(unknown_word, str) else None,
        regions=regions, excluded_regions=excluded, never_excluded=never,
        event_types=event_types, provisions=provisions, readings=readings, parameters=parameters,
        rule_files=tuple(sorted(folder.glob("*.lp"))),
    )
