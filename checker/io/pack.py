"""Rule packs: a folder ``rules/<treaty>/`` with a manifest (``treaty.yaml``) and ``.lp`` files.

The manifest is the pack's vocabulary (parties, regions, event types and their fields,
provisions, readings, parameters). The engine validates scenarios against it and knows
nothing else about any treaty. Every pack also uses the shared rules in ``rules/common/``,
the gazetteer of regions there, and the event types of the shared vocabulary there
(``vocabulary.yaml``) that its manifest says it reads.

A pack may extend another (``extends: PARENT``, a version of a treaty): its manifest is the
parent's with what it names replaced, added or removed (docs/packs.md, "Versions of a
treaty"), and its rule files are the parent's with a file of the same name replaced and new
ones added. The merged manifest is checked as one, each problem at the line of the file it
came from.

One module, though long: a manifest's sections, the shared vocabulary it reads, the pack it
extends and the confinement of its rule files are checked in one pass that collects every
problem with its file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from checker.errors import PackError, Problem, did_you_mean
from checker.io.document import LDict, LList, SourceProblem, new_dict, new_list
from checker.io.files import read_text
from checker.io.template import template_fault
from checker.io.yamltext import read_yaml

MANIFEST = "treaty.yaml"
COMMON = "common"
GAZETTEER = "regions.yaml"   # in rules/common/: every region any pack names, and its state
VOCABULARY = "vocabulary.yaml"   # in rules/common/: the event types several packs read
WORD = re.compile(r"^[a-z][a-z0-9_]*$")
PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")  # a folder name any file system takes
FIELD_TYPES = ("party", "region", "enum", "event", "bool", "text")
# a field naming the treaty an act is under: only the shared vocabulary declares one, and no
# pack reads it as a fact (a pack reads the event only when it names that pack, or none)
TREATY_FIELD = "treaty"
EITHER = "either"   # `list: either`: one value, or a non-empty list of them
PROVISION_KINDS = ("achievement", "maintenance", "condition", "set_aside")
DEADLINES = ("required", "none", "optional")   # an achievement duty's deadline
PROVISION_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# the keys a manifest may hold, at each level (anything else is a typo, reported with a hint)
TOP_KEYS = ("treaty", "title", "source", "extends", "remove", "tests", "dates", "parties", "regions",
            "region_attributes", "excluded_regions", "never_excluded", "excluded_regions_allowed", "in_force_from_allowed",
            "reads", "event_types", "provisions", "readings", "parameters", "repairs")
# a version's own keys: never taken from the pack it extends (`tests:`, read by checker mutate,
# names the unit tests of the pack's own rules)
OWN_KEYS = ("treaty", "title", "source", "extends", "remove", "tests")
# mappings a version merges with its parent's key by key (a key it gives replaces the parent's whole)
MERGED_KEYS = ("dates", "region_attributes", "event_types", "readings", "parameters", "repairs")
MERGED_PARTY_KEYS = ("fixed", "lists")
# what `remove:` may drop from the parent: the sections merged key by key, provisions (by
# id) and rule files (by name)
REMOVABLE = ("provisions", "rule_files") + MERGED_KEYS
PARTY_KEYS = ("fixed", "lists", "non_party", "unknown", "scenario_may_set")
TYPE_KEYS = ("fields", "says")
FIELD_KEYS = ("type", "required", "list", "values", "to", "unknown")
PROVISION_KEYS = ("id", "kind", "title", "source", "text", "deadline", "refusable")
READING_KEYS = ("choices", "default", "meaning")
PARAMETER_KEYS = ("default", "meaning")


@dataclass(frozen=True)
class FieldSpec:
    """One field of an event type (``to``: the event types a reference may name; ``either``:
    a list field that also takes a single value)."""

    name: str
    type: str
    required: bool = False
    is_list: bool = False
    values: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    unknown: bool = False
    either: bool = False


@dataclass(frozen=True)
class EventType:
    name: str
    fields: dict[str, FieldSpec]
    says: str


@dataclass(frozen=True)
class Provision:
    """One provision; ``deadline`` (required, none or optional) and ``refusable`` are said of
    achievement duties only."""

    id: str
    kind: str
    title: str
    text: str
    source: str
    deadline: str | None = None
    refusable: bool = False


@dataclass(frozen=True)
class Reading:
    name: str
    choices: tuple[str, ...]
    default: str
    meaning: str = ""


@dataclass(frozen=True)
class Parameter:
    """A numeric setting; ``default`` None: unset unless a scenario or --param sets it."""

    name: str
    default: int | None
    meaning: str = ""

    @property
    def may_be_unset(self) -> bool:
        return self.default is None


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
    dates: dict[str, int] = field(default_factory=dict)              # the pack's own dates, as days
    # (list, name) -> the day a dated entry of a party list starts
    role_since: dict[tuple[str, str], int] = field(default_factory=dict)
    scenario_may_set: tuple[str, ...] = ()                           # lists a scenario may replace
    region_states: dict[str, str] = field(default_factory=dict)     # region -> the state it belongs to
    region_attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    excluded_regions_allowed: bool = True
    in_force_from_allowed: bool = True
    # the common types this pack reads (rules/common/vocabulary.yaml), whole: a history is
    # validated against them; ``event_types`` holds them as this pack reads them (its fields)
    common_types: dict[str, EventType] = field(default_factory=dict)
    parent: str | None = None                                        # the pack it extends
    # its manifest, then those of the packs it extends, nearest first
    manifests: tuple[Path, ...] = ()
    # the provisions its own manifest declares (for a pack that extends none: all of them)
    own_provisions: frozenset[str] = frozenset()
    # the manifest as merged with the parent's (plain data, lines kept; read it, never change it)
    document: object = field(default=None, compare=False, repr=False)

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders whose files the pack is made of: its own, then its parents', nearest first."""
        return tuple(m.parent for m in self.manifests) or (self.folder,)

    @property
    def default_party_names(self) -> set[str]:
        names = {n for members in self.fixed_roles.values() for n in members}
        names.update(n for members in self.lists.values() for n in members)
        return names


@dataclass(frozen=True)
class Vocabulary:
    """What the events of a history may say: the event types (each whole, as declared),
    regions and words of the treaties it is checked under, together; for a scenario of one
    treaty, that treaty's."""

    event_types: dict[str, EventType]
    regions: tuple[str, ...]
    unknown_words: frozenset[str]
    treaties: tuple[str, ...]                 # the packs a field of type `treaty` may name
    # each type with a `treaty` field -> the treaties under check that read it
    readers: dict[str, tuple[str, ...]] = field(default_factory=dict)


def vocabulary_of(packs: Sequence[Pack]) -> tuple[Vocabulary, list[str]]:
    """The vocabulary of ``packs`` together, and what keeps them from being checked together
    (an event type that means one thing to one of them and another to another)."""
    types: dict[str, EventType] = {}
    owner: dict[str, str] = {}
    conflicts: list[str] = []
    regions: dict[str, None] = {}
    for pack in packs:
        for name in pack.event_types:
            whole = pack.common_types.get(name) or pack.event_types[name]
            if name not in types:
                types[name], owner[name] = whole, pack.name
            elif types[name] != whole:
                conflicts.append(f"event type {name!r} means one thing to {owner[name]} and another to {pack.name}")
        regions.update(dict.fromkeys(pack.regions))
    types = {name: _narrowed(t, types) for name, t in types.items()}
    roots = dict.fromkeys(pack.folder.parent for pack in packs)
    known = sorted({name for root in roots for name in known_packs(root)} | {pack.name for pack in packs})
    readers = {name: tuple(p.name for p in packs if name in p.event_types)
               for name, t in types.items() if any(f.type == TREATY_FIELD for f in t.fields.values())}
    words = frozenset(p.unknown_word for p in packs if p.unknown_word)
    return Vocabulary(types, tuple(regions), words, tuple(known), readers), conflicts


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
    if not PACK_NAME.fullmatch(treaty) or ".." in treaty:
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


# checked against the modification times of its manifests, folders and rule files (its
# parents' too) and of the gazetteer: a long-running process (the pytest plugin, an editor integration) sees an edit
_CACHE: dict[Path, tuple[tuple[int, ...], Pack]] = {}


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _stamps(pack: Pack) -> tuple[int, ...]:
    # the folders too (a rule file added or removed), and the rule files (what they include)
    paths = pack.manifests + pack.folders + pack.rule_files + (pack.folder.parent / COMMON / GAZETTEER,
                                                                pack.folder.parent / COMMON / VOCABULARY)
    return tuple(_stamp(p) for p in paths)


def load_pack(name: str, rules_root: Path) -> Pack:
    """Load pack ``name`` from ``rules_root`` (cached); PackError names what is wrong."""
    return _load_pack(name, rules_root, ())


def _load_pack(name: str, rules_root: Path, extending: tuple[str, ...]) -> Pack:
    """load_pack, for a pack that the packs ``extending`` (outermost first) extend."""
    if not PACK_NAME.fullmatch(name) or ".." in name:
        raise PackError(f"treaty: {name!r} is not a treaty name")
    folder = (rules_root / name).resolve()
    manifest = folder / MANIFEST
    cached = _CACHE.get(folder)
    if cached is not None and cached[0] == _stamps(cached[1]):
        return cached[1]
    if not manifest.exists():  # (a manifest that is no regular file is refused when read)
        known = known_packs(rules_root)
        raise PackError(f"treaty: no rule pack {name!r}{did_you_mean(name, known)} in {rules_root} "
                        f"(known: {', '.join(known) or 'none'}); point --rules DIR at a folder holding "
                        f"{name}/{MANIFEST}")
    pack = _read_manifest(name, folder, manifest, extending)
    _CACHE[folder] = (_stamps(pack), pack)
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
    """The folders a pack's rules may read from: its own, those of the packs it extends, and
    rules/common/."""
    return [*pack.folders, pack.folder.parent / COMMON]


MANIFEST_BYTES = 4 * 1024 * 1024  # a manifest is a page or two of YAML


def read_manifest(path: Path, shown: str | None = None):
    """The parsed YAML of a pack's file (its manifest, its templates, the gazetteer), lines
    kept; PackError with the line when it cannot be read or is not plain YAML data."""
    shown = str(path) if shown is None else shown
    text = read_text(path, shown, limit=MANIFEST_BYTES, what="pack files", error=PackError)
    try:
        return read_yaml(text)
    except SourceProblem as exc:
        raise PackError([Problem(shown, exc.line, exc.kind, exc.message)]) from None


def _file_of(node, key, default: str) -> str:
    """The file ``key`` of ``node`` was written in: a merged manifest holds parts of several."""
    sources = getattr(node, "key_sources" if isinstance(node, dict) else "item_sources", None)
    if sources is not None:
        if isinstance(node, dict) and key in sources:
            return sources[key]
        if isinstance(node, list) and isinstance(key, int) and key < len(sources):
            return sources[key]
    return getattr(node, "source", None) or default


def _line_of(node, key) -> int:
    """The line of ``key`` in a mapping (or of item ``key`` in a list), else of ``node``."""
    if isinstance(node, dict):
        return getattr(node, "key_lines", {}).get(key, getattr(node, "line", 1))
    if isinstance(node, list) and isinstance(key, int):
        lines = getattr(node, "item_lines", ())
        if key < len(lines):
            return lines[key]
    return getattr(node, "line", 1)


def _day(value) -> int | None:
    """An ISO date (YYYY-MM-DD, as text or as a date a YAML reader made of it) as a day."""
    import datetime as _dt

    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.toordinal()
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return None
    try:
        return _dt.date.fromisoformat(value).toordinal()
    except ValueError:
        return None


# keyed by the file's modification time, as packs are
_GAZETTEERS: dict[tuple[Path, int], dict[str, str]] = {}


def _common_file(rules_root: Path, name: str, missing: str) -> tuple[Path, int]:
    """A file of rules/common/ and its modification time (what its cache is keyed by);
    PackError saying ``missing`` when it is not there."""
    path = (Path(rules_root) / COMMON / name).resolve()
    try:
        return path, path.stat().st_mtime_ns
    except OSError:
        raise PackError([Problem(str(path), 1, "file", missing)]) from None


def load_gazetteer(rules_root: Path) -> dict[str, str]:
    """Every region of the common gazetteer (rules/common/regions.yaml) and the state it
    belongs to; PackError names what is wrong."""
    path, stamp = _common_file(rules_root, GAZETTEER, "the gazetteer of regions is missing: every pack's "
                               "regions are looked up there")
    cached = _GAZETTEERS.get((path, stamp))
    if cached is not None:
        return cached
    shown = str(path)
    data = read_manifest(path, shown)
    problems: list[Problem] = []
    states = data.get("states") if isinstance(data, dict) else None
    if not isinstance(states, dict) or not states:
        raise PackError([Problem(shown, 1, "states", "the gazetteer maps each state to the list of its regions")])
    out: dict[str, str] = {}
    for state, regions in states.items():
        where = f"states.{state}"
        if not isinstance(state, str) or not WORD.fullmatch(state):
            problems.append(Problem(shown, _line_of(states, state), where, "a state is a lower-case word"))
            continue
        if not isinstance(regions, list) or not regions:
            problems.append(Problem(shown, _line_of(states, state), where, "must be a non-empty list of regions"))
            continue
        for i, region in enumerate(regions):
            if not isinstance(region, str) or not WORD.fullmatch(region):
                problems.append(Problem(shown, _line_of(regions, i), f"{where}[{i}]", f"{region!r} is not a lower-case word"))
            elif region in out:
                problems.append(Problem(shown, _line_of(regions, i), f"{where}[{i}]",
                                        f"{region!r} already belongs to {out[region]}"))
            else:
                out[region] = state
    if problems:
        raise PackError(problems)
    _GAZETTEERS[(path, stamp)] = out
    return out


# keyed by the file's modification time, as packs are
_VOCABULARIES: dict[tuple[Path, int], dict[str, EventType]] = {}


def load_vocabulary(rules_root: Path) -> dict[str, EventType]:
    """The event types of the shared vocabulary (rules/common/vocabulary.yaml), each whole;
    PackError names what is wrong (a missing file is an error only for a pack that reads it)."""
    path, stamp = _common_file(rules_root, VOCABULARY, "the shared vocabulary of event types is missing: "
                               "every pack's `reads:` are looked up there")
    cached = _VOCABULARIES.get((path, stamp))
    if cached is not None:
        return cached
    shown = str(path)
    data = read_manifest(path, shown)
    if not isinstance(data, dict) or not isinstance(data.get("event_types"), dict) or not data["event_types"]:
        raise PackError([Problem(shown, 1, "event_types", "the vocabulary maps each shared event type to its "
                                 "fields and `says`")])
    m = _Manifest(shown)
    m.keys(data, ("event_types",), "")
    types = m.event_types(data, vocabulary=True)
    m.references(data, types, types)
    if m.problems:
        raise PackError(m.problems)
    _VOCABULARIES[(path, stamp)] = types
    return types


def _reads(m: "_Manifest", data, rules_root: Path, own: dict[str, EventType]) \
        -> tuple[dict[str, EventType], dict[str, tuple[str, ...]]]:
    """The common types a manifest reads (``reads:``), whole, and the fields it reads of each
    (every field but those of type ``treaty`` when it names none)."""
    node = data.get("reads")
    if not isinstance(node, list):
        m.bad(data, "reads", "must list the shared event types this pack reads: `reads: [attack, ...]` "
              "(an item {TYPE: [FIELD, ...]} reads only those fields)")
        return {}, {}
    try:
        vocabulary = load_vocabulary(rules_root)
    except PackError as exc:
        m.problems.extend(exc.problems or [Problem(m.shown, _line_of(data, "reads"), "reads", exc.text)])
        m.vocabulary_broken = True
        return {}, {}
    common: dict[str, EventType] = {}
    fields: dict[str, tuple[str, ...]] = {}
    for i, item in enumerate(node):
        where = f"reads[{i}]"
        wanted = None
        if isinstance(item, dict) and len(item) == 1:
            (item, wanted), = item.items()
            if not isinstance(wanted, list) or not wanted or not all(isinstance(f, str) for f in wanted):
                m.bad(node, i, "reads only some fields of a type as {TYPE: [FIELD, ...]}", where)
                continue
        if not isinstance(item, str) or not WORD.fullmatch(item):
            m.bad(node, i, "an item is a shared event type, or {TYPE: [FIELD, ...]}", where)
            continue
        if item not in vocabulary:
            m.bad(node, i, f"{item!r} is not a type of the shared vocabulary {COMMON}/{VOCABULARY}"
                  f"{did_you_mean(item, vocabulary)} (a type of this treaty alone goes under event_types)", where)
            continue
        if item in common:
            m.bad(node, i, f"{item!r} is read twice", where)
            continue
        if item in own:
            m.bad(node, i, f"{item!r} is both read and declared under event_types: a pack reads the shared type "
                  "or declares its own, not both", where)
            continue
        etype = vocabulary[item]
        readable = [f.name for f in etype.fields.values() if f.type != TREATY_FIELD]
        if wanted is not None:
            for f in wanted:
                if f not in readable:
                    m.bad(node, i, f"{item} has no field {f!r} a pack reads{did_you_mean(f, readable)} (fields: "
                          f"{', '.join(readable)})", where)
            readable = [f for f in readable if f in wanted]
        common[item] = etype
        fields[item] = tuple(readable)
    for tname in own:
        if tname in vocabulary and tname not in common:
            m.bad(data["event_types"], tname, f"{tname!r} is a type of the shared vocabulary {COMMON}/{VOCABULARY}: "
                  f"read it (`reads: [{tname}]`) rather than declaring it again", f"event_types.{tname}")
    return common, fields


def _as_read(etype: EventType, fields: tuple[str, ...]) -> EventType:
    """A common type as a pack reads it: the fields it reads (the references narrowed to the
    types the pack knows when its manifest is read: see _narrowed)."""
    return EventType(etype.name, {f: etype.fields[f] for f in fields}, etype.says)


class _Manifest:
    """Reads one manifest, collecting every problem with its line."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []
        self.vocabulary_broken = False  # its problems are said once, not again as unknown types

    def bad(self, node, key, message, where: str | None = None) -> None:
        self.problems.append(Problem(_file_of(node, key, self.shown), _line_of(node, key), where or str(key), message))

    def keys(self, node, allowed: tuple[str, ...], where: str) -> None:
        """An unknown key of ``node`` is a typo: say which, with the closest known key."""
        if not isinstance(node, dict):
            return
        for key in node:
            if key not in allowed:
                self.bad(node, key, f"unknown key{did_you_mean(str(key), allowed)} (allowed: {', '.join(allowed)})",
                         f"{where}{key}")

    def words(self, node, key, allow_empty=True, where: str | None = None) -> tuple[str, ...]:
        value = node.get(key, []) if isinstance(node, dict) else []
        if not isinstance(value, list) or not all(isinstance(v, str) and WORD.fullmatch(v) for v in value):
            self.bad(node, key, "must be a list of lower-case words", where)
            return ()
        if not value and not allow_empty:
            self.bad(node, key, "must not be empty", where)
        return tuple(value)

    def flag(self, node, key, default: bool, where: str | None = None) -> bool:
        value = node.get(key, default) if isinstance(node, dict) else default
        if not isinstance(value, bool):
            self.bad(node, key, f"must be true or false, not {value!r}", where)
            return default
        return value

    def dates(self, data) -> dict[str, int]:
        node = data.get("dates")
        if node is None:
            return {}
        if not isinstance(node, dict):
            self.bad(data, "dates", "must map lower-case names to dates (YYYY-MM-DD)")
            return {}
        out = {}
        for key, value in node.items():
            day = _day(value)
            if not isinstance(key, str) or not WORD.fullmatch(key):
                self.bad(node, key, "a date's name is a lower-case word", f"dates.{key}")
            elif day is None:
                self.bad(node, key, f"{value!r} is not a valid date (YYYY-MM-DD)", f"dates.{key}")
            else:
                out[key] = day
        return out

    def event_types(self, data, vocabulary: bool) -> dict[str, EventType]:
        """The ``event_types:`` of a manifest (or of the shared vocabulary, which alone may
        declare a field of type ``treaty``); references to other types are checked apart
        (``references``), once every type the file may name is known."""
        node = data.get("event_types")
        if node is None:
            return {}
        if not isinstance(node, dict):
            self.bad(data, "event_types", "must map event types to their fields")
            return {}
        out: dict[str, EventType] = {}
        types = FIELD_TYPES + ((TREATY_FIELD,) if vocabulary else ())
        for tname, spec in node.items():
            if not isinstance(tname, str) or not WORD.fullmatch(tname) or not isinstance(spec, dict):
                self.bad(node, tname, "an event type is a lower-case word with `fields`")
                continue
            self.keys(spec, TYPE_KEYS, f"event_types.{tname}.")
            fields: dict[str, FieldSpec] = {}
            given = spec.get("fields") or {}
            if not isinstance(given, dict):
                self.bad(spec, "fields", "must map field names to their specs", f"event_types.{tname}.fields")
                given = {}
            for fname, f in given.items():
                if fname in ("id", "date", "type", "occurred") or not isinstance(fname, str) \
                        or not WORD.fullmatch(fname) or not isinstance(f, dict):
                    self.bad(given, fname, "not a usable field name")
                    continue
                where = f"event_types.{tname}.fields.{fname}"
                self.keys(f, FIELD_KEYS, f"{where}.")
                ftype = f.get("type")
                if ftype == TREATY_FIELD and not vocabulary:
                    self.bad(f, "type", f"only the shared vocabulary ({COMMON}/{VOCABULARY}) has fields of type "
                             f"{TREATY_FIELD}: read its type instead (`reads:`)", f"{where}.type")
                    continue
                if ftype not in types:
                    self.bad(f, "type", f"must be one of {', '.join(types)}{did_you_mean(str(ftype), types)}",
                             f"{where}.type")
                    continue
                values = tuple(f.get("values", ()))
                if ftype == "enum" and (not values or not all(isinstance(v, str) and WORD.fullmatch(v) for v in values)):
                    self.bad(f, "values", "an enum needs a list of lower-case words", f"{where}.values")
                to = f.get("to")
                targets = tuple(to) if isinstance(to, list) else (to,) if isinstance(to, str) else ()
                if ftype == "event" and (not targets or not all(isinstance(t, str) for t in targets)):
                    self.bad(f, "to", "a reference names the event type(s) it may refer to: `to: T` or `to: [T1, T2]`",
                             f"{where}.to")
                elif ftype != "event" and "to" in f:
                    self.bad(f, "to", "only an event field refers to other events", f"{where}.to")
                shape = f.get("list", False)
                either = shape == EITHER
                if not isinstance(shape, bool) and not either:
                    self.bad(f, "list", f"must be true, false or {EITHER} (one value or a list), not {shape!r}",
                             f"{where}.list")
                    shape = False
                if ftype in ("bool", TREATY_FIELD) and shape:
                    self.bad(f, "list", f"a {ftype} field takes one value, true or false" if ftype == "bool"
                             else f"a {ftype} field takes one value", f"{where}.list")
                is_list = bool(shape)
                fields[fname] = FieldSpec(fname, ftype, self.flag(f, "required", False, f"{where}.required"),
                                          is_list, values, targets,
                                          self.flag(f, "unknown", False, f"{where}.unknown"), either)
            says = str(spec.get("says", tname))
            if (fault := template_fault(says)) is not None:
                self.bad(spec, "says", fault, f"event_types.{tname}.says")
            out[tname] = EventType(tname, fields, says)
        return out

    def references(self, data, declared: dict[str, EventType], known: dict[str, EventType]) -> None:
        """Every event field of ``declared`` (the file's own types) refers to types in ``known``."""
        node = data.get("event_types") or {}
        for tname, etype in declared.items():
            fields_node = (node.get(tname) or {}).get("fields") or {}
            for f in etype.fields.values():
                for target in f.to:
                    if f.type == "event" and target not in known and not self.vocabulary_broken:
                        self.bad(fields_node.get(f.name), "to", f"{etype.name}.{f.name} refers to unknown type "
                                 f"{target!r}{did_you_mean(target, known)}", f"event_types.{tname}.fields.{f.name}.to")

    def party_list(self, node, key, where: str, since: dict) -> tuple[str, ...]:
        """A list of party names; an item may be ``{name: N, since: DATE}`` (noted in ``since``)."""
        value = node.get(key)
        if not isinstance(value, list):
            self.bad(node, key, "must be a list of lower-case names (an item may be {name: N, since: DATE})", where)
            return ()
        out: list[str] = []
        for i, item in enumerate(value):
            here = f"{where}[{i}]"
            name = item
            if isinstance(item, dict):
                name = item.get("name")
                for k in item:
                    if k not in ("name", "since"):
                        self.bad(item, k, f"unknown key{did_you_mean(str(k), ('name', 'since'))} "
                                 "(a dated entry is {name: N, since: DATE})", f"{here}.{k}")
                if "since" in item:
                    day = _day(item["since"])
                    if day is None:
                        self.bad(item, "since", f"{item['since']!r} is not a valid date (YYYY-MM-DD)", f"{here}.since")
                    elif isinstance(name, str):
                        since[(key, name)] = day
            if not isinstance(name, str) or not WORD.fullmatch(name):
                self.bad(value, i, f"{name!r} is not a lower-case name", here)
            elif name in out:
                self.bad(value, i, f"{name!r} is listed twice", here)
            else:
                out.append(name)
        return tuple(out)


def _narrowed(etype: EventType, known) -> EventType:
    """``etype`` with each reference narrowed to the types in ``known`` (a shared type may
    refer to types a pack does not read: none of its events can be one)."""
    fields = {}
    for name, f in etype.fields.items():
        if f.type == "event" and any(t not in known for t in f.to):
            f = FieldSpec(f.name, f.type, f.required, f.is_list, f.values, tuple(t for t in f.to if t in known),
                          f.unknown, f.either)
        fields[name] = f
    return EventType(etype.name, fields, etype.says) if fields != etype.fields else etype


def _read_manifest(name: str, folder: Path, path: Path, extending: tuple[str, ...] = ()) -> Pack:
    shown = str(path)
    data = read_manifest(path, shown)
    if not isinstance(data, dict):
        raise PackError([Problem(shown, 1, "manifest", "must be a mapping")])
    _mark(data, shown)
    m = _Manifest(shown)
    bad, words = m.bad, m.words
    m.keys(data, TOP_KEYS, "")
    parent = _parent(m, data, name, folder, extending)
    if parent is None and "extends" in data:  # the rest is read against a parent there is not
        raise PackError(m.problems)
    own_provisions = _provision_ids(data)
    files = tuple(sorted(folder.glob("*.lp")))
    if parent is not None:
        data, files = _inherit(m, parent, data, files)
    elif "remove" in data:
        bad(data, "remove", "only a pack that extends another removes what it inherits (add `extends: PACK`)")
    dates = m.dates(data)

    parties = data.get("parties") or {}
    if not isinstance(parties, dict):
        bad(data, "parties", "must map fixed, lists, non_party... (see docs/packs.md)")
        parties = {}
    m.keys(parties, PARTY_KEYS, "parties.")
    since: dict[tuple[str, str], int] = {}
    groups = {}
    for group in ("fixed", "lists"):
        node = parties.get(group) or {}
        if not isinstance(node, dict):
            bad(parties, group, "must map list names to lists of parties", f"parties.{group}")
            node = {}
        groups[group] = {k: m.party_list(node, k, f"parties.{group}.{k}", since) for k in node
                         if isinstance(k, str) and WORD.fullmatch(k)}
    fixed, lists = groups["fixed"], groups["lists"]
    for key in set(fixed) & set(lists):
        bad(parties, "lists", f"{key!r} is both fixed and a list a scenario may replace", "parties.lists")
    non_party = frozenset(words(parties, "non_party", where="parties.non_party"))
    for key in non_party:
        if key not in lists:
            bad(parties, "non_party", f"{key!r} is not one of the lists{did_you_mean(key, lists)}", "parties.non_party")
    unknown_word = parties.get("unknown")
    may_set = tuple(lists)
    if "scenario_may_set" in parties:
        may_set = words(parties, "scenario_may_set", where="parties.scenario_may_set")
        for key in may_set:
            if key not in lists:
                hint = " (a fixed list: a scenario never replaces it)" if key in fixed else did_you_mean(key, lists)
                bad(parties, "scenario_may_set", f"{key!r} is not one of the lists{hint}", "parties.scenario_may_set")

    regions = words(data, "regions", allow_empty=False)
    region_states: dict[str, str] = {}
    if regions:
        try:
            gazetteer = load_gazetteer(folder.parent)
        except PackError as exc:
            m.problems.extend(exc.problems or [Problem(shown, 1, "regions", exc.text)])
            gazetteer = None
        if gazetteer is not None:
            for i, region in enumerate(regions):
                if region in gazetteer:
                    region_states[region] = gazetteer[region]
                else:
                    hint = did_you_mean(region, gazetteer) or " (a new region goes there, under the state it belongs to)"
                    bad(data["regions"], i, f"{region!r} is not in the gazetteer {COMMON}/{GAZETTEER}{hint}",
                        f"regions[{i}]")
    excluded = words(data, "excluded_regions")
    never = words(data, "never_excluded")
    for r in excluded + never:
        if r not in regions:
            bad(data, "excluded_regions", f"{r!r} is not among the regions{did_you_mean(r, regions)}")
    attributes: dict[str, tuple[str, ...]] = {}
    node = data.get("region_attributes")
    if node is not None and not isinstance(node, dict):
        bad(data, "region_attributes", "must map attribute names to lists of regions")
    elif node is not None:
        for attr in node:
            where = f"region_attributes.{attr}"
            if not isinstance(attr, str) or not WORD.fullmatch(attr):
                bad(node, attr, "an attribute is a lower-case word", where)
                continue
            members = words(node, attr, where=where)
            for i, r in enumerate(members):
                if r not in regions:
                    bad(node[attr], i, f"{r!r} is not among the regions{did_you_mean(r, regions)}", f"{where}[{i}]")
            attributes[attr] = members
    excluded_allowed = m.flag(data, "excluded_regions_allowed", True)
    in_force_allowed = m.flag(data, "in_force_from_allowed", True)

    own = m.event_types(data, vocabulary=False)
    common: dict[str, EventType] = {}
    read_fields: dict[str, tuple[str, ...]] = {}
    if "reads" in data:
        common, read_fields = _reads(m, data, folder.parent, own)
    event_types = {name: _as_read(common[name], read_fields[name]) for name in common}
    event_types.update(own)
    m.references(data, own, event_types)
    event_types = {name: _narrowed(t, event_types) for name, t in event_types.items()}

    provisions: dict[str, Provision] = {}
    for i, item in enumerate(data.get("provisions") or []):
        pid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(pid, str) or not PROVISION_ID.fullmatch(pid):
            m.problems.append(Problem(_file_of(data["provisions"], i, shown), getattr(item, "line", 1), "provisions",
                                      f"bad provision id {pid!r}"))
            continue
        where = f"provisions.{pid}"
        m.keys(item, PROVISION_KEYS, f"{where}.")
        kind = item.get("kind")
        if kind not in PROVISION_KINDS:
            bad(item, "kind", f"must be one of {', '.join(PROVISION_KINDS)}{did_you_mean(str(kind), PROVISION_KINDS)}",
                f"{where}.kind")
        if pid in provisions:
            bad(item, "id", f"duplicate provision {pid!r}")
        deadline = None
        if kind == "achievement":
            deadline = item.get("deadline", "required")
            if deadline not in DEADLINES:
                bad(item, "deadline", f"must be one of {', '.join(DEADLINES)} (an achievement duty's deadline "
                    f"is required, it has none, or a parameter may set one), not {deadline!r}", f"{where}.deadline")
                deadline = "required"
        for key in ("deadline", "refusable"):
            if key in item and kind != "achievement":
                bad(item, key, f"only an achievement duty has a {key} (this provision is a {kind})", f"{where}.{key}")
        refusable = m.flag(item, "refusable", False, f"{where}.refusable") if kind == "achievement" else False
        provisions[pid] = Provision(pid, str(kind), str(item.get("title", "")),
                                    " ".join(str(item.get("text", "")).split()), str(item.get("source", "")),
                                    deadline, refusable)

    readings: dict[str, Reading] = {}
    for rname, spec in (data.get("readings") or {}).items():
        choices = tuple(spec.get("choices", ())) if isinstance(spec, dict) else ()
        if not WORD.fullmatch(rname) or not choices or not all(isinstance(c, str) and WORD.fullmatch(c) for c in choices):
            bad(data["readings"], rname, "a reading needs `choices`, a list of lower-case words")
            continue
        m.keys(spec, READING_KEYS, f"readings.{rname}.")
        default = spec.get("default", choices[0])
        if default not in choices:
            bad(spec, "default", f"{default!r} is not one of its choices")
        readings[rname] = Reading(rname, choices, default, " ".join(str(spec.get("meaning", "")).split()))

    parameters: dict[str, Parameter] = {}
    for pname, spec in (data.get("parameters") or {}).items():
        default = spec.get("default", ...) if isinstance(spec, dict) else ...
        if not WORD.fullmatch(pname) or not (default is None or isinstance(default, int)) or isinstance(default, bool):
            bad(data["parameters"], pname, "a parameter needs a `default`: a whole number, or null (unset unless "
                "a scenario or --param sets it)")
            continue
        m.keys(spec, PARAMETER_KEYS, f"parameters.{pname}.")
        parameters[pname] = Parameter(pname, default, str(spec.get("meaning", "")))

    chain = (folder,) + (tuple(f.parent for f in parent.manifests) if parent is not None else ())
    _confine(m, files, chain + (folder.parent / COMMON,))
    if m.problems:
        raise PackError(m.problems)
    return Pack(
        name=name, folder=folder, title=str(data.get("title", name)), source=str(data.get("source", "")),
        fixed_roles=fixed, lists=lists, non_party=non_party,
        unknown_word=unknown_word if isinstance(unknown_word, str) else None,
        regions=regions, excluded_regions=excluded, never_excluded=never,
        event_types=event_types, provisions=provisions, readings=readings, parameters=parameters,
        rule_files=files,
        dates=dates, role_since=since, scenario_may_set=may_set, region_states=region_states,
        region_attributes=attributes, excluded_regions_allowed=excluded_allowed,
        in_force_from_allowed=in_force_allowed, common_types=common,
        parent=parent.name if parent is not None else None,
        manifests=(path,) + (parent.manifests if parent is not None else ()),
        own_provisions=frozenset(own_provisions if parent is not None else provisions),
        document=data,
    )


# --- confinement: a pack's rules are its own, its parents' and the common ones ---------------

def _confine(m: _Manifest, files: tuple[Path, ...], allowed: tuple[Path, ...]) -> None:
    """A rule file (a link included) and every file it includes stay inside ``allowed``
    (the pack's folder, those of the packs it extends, rules/common): a problem otherwise."""
    roots = [a.resolve() for a in allowed]

    def inside(path: Path) -> bool:
        target = path.resolve()
        return any(target.is_relative_to(r) for r in roots)

    names = ", ".join(str(a) for a in allowed)
    for path in files:
        if not inside(path):
            m.problems.append(Problem(str(path), 1, "rules", f"the rule file leads outside the pack ({names})"))
            continue
        if not path.is_file():  # never read: a FIFO or a device would block or never end
            m.problems.append(Problem(str(path), 1, "rules", f"{path.name} is not a regular file (a FIFO, a device "
                                      "or a folder), which clingo would wait on or read without end"))
    # what a rule file includes (and any script in it) is read off clingo's own parse of it,
    # never off its text: checker.io.rules
    from checker.io.rules import check_rule_files

    said = {(p.file, p.line) for p in m.problems}
    found, _ = check_rule_files([f for f in files if f.is_file() and inside(f)], list(allowed))
    m.problems.extend(p for p in found if (p.file, p.line) not in said)


# --- versions: a pack that extends another ---------------------------------------------------

def _mark(node, shown: str) -> None:
    """Note in every mapping and list of a manifest the file it was read from."""
    if isinstance(node, (LDict, LList)):
        node.source = shown
        for value in node.values() if isinstance(node, dict) else node:
            _mark(value, shown)


def _provision_ids(data) -> list[str]:
    items = data.get("provisions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _parent(m: _Manifest, data, name: str, folder: Path, extending: tuple[str, ...]) -> Pack | None:
    """The pack ``data`` extends, loaded from beside ``folder`` (None when it extends none, or
    when that is wrong: the problem is noted); the parent's own problems are raised as its."""
    if "extends" not in data:
        return None
    parent = data["extends"]
    if not isinstance(parent, str) or not PACK_NAME.fullmatch(parent) or ".." in parent:
        m.bad(data, "extends", f"{parent!r} is not a treaty name: `extends:` names a pack beside this one")
        return None
    chain = extending + (name,)
    if parent in chain:
        m.bad(data, "extends", "packs cannot extend each other in a circle: " + " -> ".join(chain + (parent,)))
        return None
    root = folder.parent
    if not (root / parent / MANIFEST).exists():
        known = [k for k in known_packs(root) if k != name]
        m.bad(data, "extends", f"no rule pack {parent!r}{did_you_mean(parent, known)} in {root} "
              f"(a pack extends one beside it; known: {', '.join(known) or 'none'})")
        return None
    return _load_pack(parent, root, chain)


def _inherit(m: _Manifest, parent: Pack, data: LDict, files: tuple[Path, ...]):
    """The manifest ``data`` merged over the parent's, and the rule files of the version: the
    parent's, less those removed, with ``files`` (the version's own) replacing those of the
    same name and added to the rest. Problems of `remove:` are noted."""
    base = parent.document
    removed = _removals(m, data, parent, base, files)
    out = _copy_map(base, data.line, data.source)
    for key in OWN_KEYS:
        out.pop(key, None)
    for key, value in data.items():
        here = value
        if key in MERGED_KEYS and isinstance(value, dict) and isinstance(base.get(key), dict):
            here = _merge_map(base[key], value)
        elif key == "parties" and isinstance(value, dict) and isinstance(base.get(key), dict):
            here = _merge_map(base[key], value)
            for sub in MERGED_PARTY_KEYS:
                if isinstance(value.get(sub), dict) and isinstance(base[key].get(sub), dict):
                    _put(here, sub, _merge_map(base[key][sub], value[sub]), value.key_lines.get(sub, value.line),
                         value.source)
        elif key == "provisions" and isinstance(value, list) and isinstance(base.get(key), list):
            here = _merge_provisions(base[key], value)
        _put(out, key, here, data.key_lines.get(key, data.line), data.source)
    for section, names in removed.items():
        if section == "rule_files" or section not in out:
            continue
        if section == "provisions":
            kept = new_list(out[section].line)
            kept.source, kept.item_sources = out[section].source, []
            for i, item in enumerate(out[section]):
                if not (isinstance(item, dict) and item.get("id") in names):
                    kept.append(item)
                    kept.item_lines.append(_line_of(out[section], i))
                    kept.item_sources.append(_file_of(out[section], i, m.shown))
            _put(out, section, kept, _line_of(out, section), _file_of(out, section, m.shown))
        elif isinstance(out[section], dict):
            kept_map = _copy_map(out[section], out[section].line, out[section].source)
            for key in names:
                kept_map.pop(key, None)
            _put(out, section, kept_map, _line_of(out, section), _file_of(out, section, m.shown))
    # a repair of a provision the version removes goes with it
    dropped = removed.get("provisions", set())
    if dropped and isinstance(out.get("repairs"), dict):
        repairs = _copy_map(out["repairs"], out["repairs"].line, out["repairs"].source)
        for pid in dropped:
            repairs.pop(pid, None)
        _put(out, "repairs", repairs, _line_of(out, "repairs"), _file_of(out, "repairs", m.shown))

    by_name = {p.name: p for p in parent.rule_files}
    for gone in removed.get("rule_files", ()):
        by_name.pop(gone, None)
    by_name.update((p.name, p) for p in files)
    return out, tuple(by_name[n] for n in sorted(by_name))


def _removals(m: _Manifest, data, parent: Pack, base, files: tuple[Path, ...]) -> dict[str, set[str]]:
    """What `remove:` drops, by section; a name the parent does not have, or that the version
    gives again (``files``: its own rule files), is a problem."""
    node = data.get("remove")
    if node is None:
        return {}
    if not isinstance(node, dict):
        m.bad(data, "remove", "must map sections (" + ", ".join(REMOVABLE) + ") to the names to drop")
        return {}
    m.keys(node, REMOVABLE, "remove.")
    out: dict[str, set[str]] = {}
    for section, names in node.items():
        if section not in REMOVABLE:
            continue
        where = f"remove.{section}"
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            m.bad(node, section, "must be a list of names", where)
            continue
        if section == "provisions":
            inherited = _provision_ids(base)
            given = set(_provision_ids(data))
        elif section == "rule_files":
            inherited = [p.name for p in parent.rule_files]
            given = {p.name for p in files}
        else:
            inherited = list(base.get(section) or {}) if isinstance(base.get(section), dict) else []
            given = set(data.get(section) or {}) if isinstance(data.get(section), dict) else set()
        for i, name in enumerate(names):
            if name not in inherited:
                m.bad(names, i, f"{parent.name} has no {_SINGULAR[section]} {name!r} to remove"
                      f"{did_you_mean(name, inherited)}", f"{where}[{i}]")
            elif name in given:
                what = "has a file of that name" if section == "rule_files" else f"gives {name!r} again under {section}"
                m.bad(names, i, f"{name!r} is removed, but this pack {what}: drop one", f"{where}[{i}]")
            else:
                out.setdefault(section, set()).add(name)
    return out


_SINGULAR = {"provisions": "provision", "rule_files": "rule file", "dates": "date",
             "region_attributes": "region attribute", "event_types": "event type", "readings": "reading",
             "parameters": "parameter", "repairs": "repair"}


def _copy_map(node, line: int, source) -> LDict:
    """A new mapping holding the entries of ``node`` (a mapping of a manifest), each noted
    with the line and the file it was written in."""
    out = new_dict(line)
    out.source, out.key_sources = source, {}
    if isinstance(node, dict):
        for key, value in node.items():
            _put(out, key, value, _line_of(node, key), _file_of(node, key, source))
    return out


def _put(node: LDict, key, value, line: int, source) -> None:
    node[key] = value
    node.key_lines[key] = line
    node.key_sources[key] = source


def _merge_map(base, mine) -> LDict:
    """``base`` with every key of ``mine`` put in (a key both have: ``mine``'s value, whole)."""
    out = _copy_map(base, mine.line, mine.source)
    for key, value in mine.items():
        _put(out, key, value, _line_of(mine, key), _file_of(mine, key, mine.source))
    return out


def _merge_provisions(base: list, mine: list) -> LList:
    """The parent's provisions with each of ``mine`` replacing the one of its id, in place,
    and the others added after them."""
    out = new_list(getattr(mine, "line", 1))
    out.source, out.item_sources = getattr(mine, "source", None), []
    ids = {item.get("id"): i for i, item in enumerate(mine) if isinstance(item, dict)}
    used: set = set()
    for i, item in enumerate(base):
        pid = item.get("id") if isinstance(item, dict) else None
        j = ids.get(pid)
        if j is not None and j not in used:
            used.add(j)
            out.append(mine[j])
            out.item_lines.append(_line_of(mine, j))
            out.item_sources.append(_file_of(mine, j, out.source))
        else:
            out.append(item)
            out.item_lines.append(_line_of(base, i))
            out.item_sources.append(_file_of(base, i, out.source))
    for j, item in enumerate(mine):
        if j not in used:
            out.append(item)
            out.item_lines.append(_line_of(mine, j))
            out.item_sources.append(_file_of(mine, j, out.source))
    return out
