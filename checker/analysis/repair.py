"""Minimal repair: the fewest events to add so that selected breached or late duties are met.

The pack declares what can be added (manifest `repairs:`: per provision, the event type and
how its fields are filled) and when it counts (`repair_window/3`, in its repairs.lp). This
module turns the declaration into candidate actions on the days of each window and probes
them through the pack's own rules (as if they all happened): what each meets, what duties
it opens (help must be reported), and whether those need an action of their own; the
candidates for the opened duties are probed in turn. Only the days an optimal repair can
use are kept (_Repairer.reduce). Then clingo finds an optimum with the unsatisfiable-core
strategy: first over what the probes found (COVER_PROGRAM, fast), and, if that cannot
settle it or its repair fails the check, over the pack's rules themselves (REPAIR_PROGRAM,
one optimisation per group of duties that share no candidate). Every repair is checked
again as an ordinary scenario. When one optimal repair is wanted, the last round of
candidates is probed only if that check fails: unprobed, they count as opening nothing,
which makes the cover a relaxation whose checked repair is optimal (see _repair).

Terms (duties, candidate keys, values) are handled as the text clingo prints for them:
facts go in as flat tuples through engine.facts.add_facts (TERMS_PROGRAM builds the compound
terms back), and atoms come out as symbols (engine.solve.facts_of), printed.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

from checker.engine.facts import add_facts
from checker.engine.solve import facts_of, give_inputs
from checker.engine.terms import Name
from checker.errors import PackError, Problem, SolveTimeout, UsageError, did_you_mean
from checker.io.document import LDict
from checker.io.pack import MANIFEST, WORD, Pack, read_manifest, rule_files
from checker.model import BREACH_STATUSES, Scenario, Verdicts, iso

SPECIAL = ("holder", "holders", "trigger")

# The treaty-agnostic part of a repair. Python finds the candidate actions first (from the
# pack's repair_window/3, see _candidates); they reach this program as facts:
#   cand(K)  cand_event(K, T, D)  cand_arg(K, F, V)   action K: an event of type T on day D
#   cand_joint(K, O, F, H)      joint action K names holder H in list field F when it serves O
#   cand_option(K, F, V, R)     field F of K takes one of the values the pack lists (R: rank)
#   cand_weight(K, W)           its day, counted from the first day a candidate may fall on
#   all_optimal                 every optimal repair is wanted: the rank of values is no cost
#   repair_target(O)            a duty to turn into fulfilled
#   repair_late(O)              ...or into late: it was refused, and met after that it is late
#   was_breach(O)               a duty breached or late before the repair (it may stay so)
#   breach_status(S)  repair_seq(N)  repair_max(M)
# A candidate's fields hold whether or not it is used (the rules read fields only of events
# that occurred), which lets the grounder see that an added event is `about` something.
REPAIR_PROGRAM = """
{ use(K) } :- cand(K).
event(K, T, D) :- use(K), cand_event(K, T, D).
seq(K, N) :- cand(K), repair_seq(N).
arg(K, F, V) :- cand_arg(K, F, V).
% a field the pack lets take one of several values takes exactly one
_optional(K, F) :- cand_option(K, F, _, _).
1 { arg(K, F, V) : cand_option(K, F, V, _) } 1 :- use(K), _optional(K, F).
% a joint action (one consultation of several holders) serves some of the duties it may serve
{ serves(K, O) } :- use(K), cand_joint(K, O, _, _).
arg(K, F, H) :- serves(K, O), cand_joint(K, O, F, H).
:- use(K), cand_joint(K, _, _, _), not serves(K, _).
% every selected duty is fulfilled (a refused one met: late), and no duty is breached or late
% that was not before
_repair_done(O) :- status(O, fulfilled).
_repair_done(O) :- repair_late(O), status(O, late).
:- repair_target(O), not _repair_done(O).
:- status(O, S), breach_status(S), not was_breach(O).
:- repair_max(M), #count { K : use(K) } > M.
% as few actions as possible; among those, the earliest; then the values the pack lists first
#minimize { 1@2, K : use(K) }.
#minimize { W@1, K : use(K), cand_weight(K, W) }.
#minimize { R@0, K, F : use(K), arg(K, F, V), cand_option(K, F, V, R), not all_optimal }.
#defined cand_joint/4. #defined repair_max/1. #defined cand_option/4. #defined cand_arg/3.
#defined all_optimal/0. #defined repair_late/1.
#show.
#show use(K) : use(K).
#show serves(K, O) : serves(K, O).
#show picked(K, F, V) : use(K), arg(K, F, V), cand_option(K, F, V, _).
"""

# The same choice, over what the probes found instead of the pack's rules (see
# _Repairer.optimise_fast): a duty is met when an action that may meet it is used (its day in
# the duty's window), and an action used opens the duties listed for it, which must be met in
# turn. Facts besides those of REPAIR_PROGRAM:
#   cand_meets(K, O)    action K (not joint) meets duty O if used
#   cand_joint(K, O)    joint action K meets O if it names O's holder
#   cand_opens(K, O)    action K, if used, opens duty O, which then needs an action
#   cand_options(K, P)  the fields of K take one of the values option(P, F, V, Rank) lists
#                       (given only when every optimal repair is wanted: otherwise the first
#                       value, free and constraining nothing here, is the optimum's choice)
COVER_PROGRAM = """
{ use(K) } :- cand(K).
cand_option(K, F, V, R) :- cand_options(K, P), option(P, F, V, R).
_optional(K, F) :- cand_option(K, F, _, _).
1 { pick(K, F, V) : cand_option(K, F, V, _) } 1 :- use(K), _optional(K, F).
{ serves(K, O) } :- use(K), cand_joint(K, O).
:- use(K), cand_joint(K, _), not serves(K, _).
met(O) :- serves(K, O).
met(O) :- use(K), cand_meets(K, O).
:- repair_target(O), not met(O).
:- use(K), cand_opens(K, O), not met(O).
:- repair_max(M), #count { K : use(K) } > M.
#minimize { 1@2, K : use(K) }.
#minimize { W@1, K : use(K), cand_weight(K, W) }.
#minimize { R@0, K, F : pick(K, F, V), cand_option(K, F, V, R), not all_optimal }.
#defined cand_joint/2. #defined cand_meets/2. #defined cand_opens/2. #defined cand_options/2.
#defined option/4. #defined repair_max/1. #defined all_optimal/0.
#show.
#show use(K) : use(K).
#show serves(K, O) : serves(K, O).
#show picked(K, F, V) : pick(K, F, V).
"""

# Probing a history for the days on which an action can meet a duty (pack: repairs.lp).
PROBE_PROGRAM = """
repair_mode.
"""
# ...and with candidates added: the duties that fired and are not known from the history
# (repair_known/1 facts), their windows, statuses and the events that met them
PROBE_OPENED_PROGRAM = """
repair_mode.
#defined repair_known/1.
_repair_opened(O) :- fired(O, _), not repair_known(O).
_repair_opened_window(O, F, X) :- repair_window(O, F, X), _repair_opened(O).
_repair_opened_status(O, S) :- _repair_opened(O), status(O, S).
_repair_opened_by(O, E) :- _repair_opened(O), met_by(O, E).
"""
OPENED = (("_repair_opened", 1), ("_repair_opened_window", 3), ("_repair_opened_status", 2),
          ("_repair_opened_by", 2))

# The candidates of a probe go in as flat facts (engine.facts.add_facts: a few C calls a fact,
# where a symbol built through the Python API costs a dozen): a compound term, such as a
# candidate's key act(P, H, A, D) or a duty ob(P, H, T), is numbered (see _Facts) and built
# here, so the pack's rules see exactly the events, fields and duties they would as facts.
#   _repair_act(N, P, H, A, D)    term N is act(P, H, A, D); _repair_act_r: A is term R
#   _repair_ob(N, P, H, T)        term N is ob(P, H, T); _repair_ob_r: T is term R
#   _repair_term(N, T)            (added as a symbol) term N is T, of any other shape
#   _repair_event(N, T, D)        the event N of type T on day D, ordered after the history
#   _repair_arg(N, F, V)          its field F holds V; _repair_arg_r: holds term R
#   _repair_known(N)              duty N fired in the history; _repair_known_ob(P, H, T): ob(P, H, T) did
TERMS_PROGRAM = """
_repair_term(N, act(P, H, A, D)) :- _repair_act(N, P, H, A, D).
_repair_term(N, act(P, H, A, D)) :- _repair_act_r(N, P, H, R, D), _repair_term(R, A).
_repair_term(N, ob(P, H, T)) :- _repair_ob(N, P, H, T).
_repair_term(N, ob(P, H, T)) :- _repair_ob_r(N, P, H, R), _repair_term(R, T).
event(K, T, D) :- _repair_event(N, T, D), _repair_term(N, K).
seq(K, S) :- _repair_event(N, _, _), _repair_term(N, K), _repair_seq(S).
arg(K, F, V) :- _repair_arg(N, F, V), _repair_term(N, K).
arg(K, F, V) :- _repair_arg_r(N, F, R), _repair_term(N, K), _repair_term(R, V).
repair_known(O) :- _repair_known(N), _repair_term(N, O).
repair_known(ob(P, H, T)) :- _repair_known_ob(P, H, T).
#defined _repair_act/5. #defined _repair_act_r/5. #defined _repair_ob/4. #defined _repair_ob_r/4.
#defined _repair_event/3. #defined _repair_seq/1. #defined _repair_arg/3.
#defined _repair_arg_r/3. #defined _repair_known/1. #defined _repair_known_ob/3.
"""


# --- terms as clingo prints them ----------------------------------------------------------
# A term is handled as its text, as clingo prints it (str(symbol)): the text names it exactly,
# is hashed and compared in Python, and comes from the symbols of engine.solve.facts_of. The text of
# a compound term is put together from the texts of its parts.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[(),]')
_NUMBER = re.compile(r"-?[0-9]+")
_CONSTANT = re.compile(r"_*[a-z][A-Za-z0-9_']*")
# a plain term (a string with no escape, a number, a constant), and a term whose arguments
# are all plain: most terms here (a duty ob("p",h,act("q",h,"e",3)) opened by an action)
# have only such arguments, which one regular expression (in C) tells and finds
_PLAIN = r'"[^"\\]*"|-?[0-9]+|_*[a-z][A-Za-z0-9_\']*'
_SHALLOW = r"_*[a-z][A-Za-z0-9_']*\((?:%s)(?:,(?:%s))*\)|%s" % (_PLAIN, _PLAIN, _PLAIN)
_SHALLOW_ARGS = re.compile(r"(?:%s)(?:,(?:%s))*" % (_SHALLOW, _SHALLOW))
_SHALLOW_TERM = re.compile(_SHALLOW)


@lru_cache(maxsize=1 << 16)
def _args(text: str) -> tuple:
    """The texts of the arguments of the term printed as ``text`` (none for a number, a
    string or a constant)."""
    open_ = text.find("(")
    if open_ < 0 or text[0] == '"':
        return ()
    return tuple(_split(text[open_ + 1:-1]))


def _split(inner: str) -> list:
    """The texts of the terms separated by the top-level commas of ``inner`` (a tuple of one
    prints as ``(x,)``)."""
    if '"' not in inner and "(" not in inner:
        out = inner.split(",")
    elif _SHALLOW_ARGS.fullmatch(inner):
        return _SHALLOW_TERM.findall(inner)
    else:
        out, depth, start = [], 0, 0
        for m in _TOKEN.finditer(inner):
            c = m.group()
            if c == ",":
                if not depth:
                    out.append(inner[start:m.start()])
                    start = m.end()
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
        out.append(inner[start:])
    if out[-1] == "":   # (no term prints as nothing)
        out.pop()
    return out


@lru_cache(maxsize=1 << 16)
def _flat(text: str):
    """A plain term's text as engine.facts.add_facts takes it (a string's value, an int, a
    Name), or None for a compound term."""
    if text[0] == '"':
        return _unquote(text)
    if _NUMBER.fullmatch(text):
        return int(text)
    if _CONSTANT.fullmatch(text):
        return Name(text)
    return None


_ESCAPE = re.compile(r"\\(.)", re.S)


def _unquote(text: str) -> str:
    """The value of a string printed as ``text`` (clingo escapes \\\\, \\" and newlines)."""
    body = text[1:-1]
    if "\\" not in body:
        return body
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), body)


def _quote(value: str) -> str:
    """The text clingo prints for the string ``value``."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _plain(text: str) -> str:
    """A term as the plain text of a scenario (a string unquoted, anything else as printed)."""
    return _unquote(text) if text[0] == '"' else text


def _pieces(atoms, name: str) -> list:
    """The text inside the parentheses of each atom of ``atoms`` (symbols of the predicate
    ``name``)."""
    return [str(atom)[len(name) + 1:-1] for atom in atoms]


def _last_number(piece: str, n: int):
    """(the first arguments' text, then the last ``n`` as ints) of an atom's inner text whose
    last ``n`` arguments are numbers, or None."""
    parts = piece.rsplit(",", n)
    if len(parts) == n + 1:
        try:   # (the text of a string, a constant or a compound term is no int's)
            return [parts[0], *[int(p) for p in parts[1:]]]
        except ValueError:
            pass
    return None


def _pair(piece: str) -> tuple:
    """The two arguments' texts of an atom's inner text."""
    first, sep, last = piece.rpartition(",")
    if sep and _CONSTANT.fullmatch(last):
        return first, last
    if piece[-1:] == '"' and "\\" not in piece:
        # (no escape, so no quote inside a string: the quote before the last opens the last
        # argument)
        i = piece.rfind('"', 0, -1)
        if i > 0 and piece[i - 1] == ",":
            return piece[:i - 1], piece[i:]
    args = _split(piece)
    return args[0], args[1]


class _Facts:
    """Facts for add_facts: tuples of plain values, a compound term named by a number that
    TERMS_PROGRAM turns back into the term (``symbols``: the terms it cannot, given whole)."""

    def __init__(self):
        self.tuples: list = []
        self.numbers: dict = {}   # term text -> its number
        self.symbols: list = []   # (number, text) of the terms of another shape

    def ref(self, text: str) -> int:
        n = self.numbers.get(text)
        if n is not None:
            return n
        n = self.numbers[text] = len(self.numbers)
        args = _args(text)
        name = text[:text.find("(")]
        flat = [_flat(a) for a in args]
        if name == "act" and len(args) == 4 and type(flat[0]) is str and flat[1] is not None \
                and type(flat[3]) is int:
            if flat[2] is None:
                self.tuples.append(("_repair_act_r", n, flat[0], flat[1], self.ref(args[2]), flat[3]))
            else:
                self.tuples.append(("_repair_act", n, *flat))
        elif name == "ob" and len(args) == 3 and type(flat[0]) is str and flat[1] is not None:
            if flat[2] is None:
                self.tuples.append(("_repair_ob_r", n, flat[0], flat[1], self.ref(args[2])))
            else:
                self.tuples.append(("_repair_ob", n, *flat))
        else:
            self.symbols.append((n, text))
        return n

    def act(self, c: _Candidate) -> int:
        """The number of candidate ``c``'s key (ref, from the parts the candidate keeps)."""
        p, h, a = (_flat(t) for t in c.cls)
        if type(p) is not str or h is None or c.key in self.numbers:
            return self.ref(c.key)
        n = self.numbers[c.key] = len(self.numbers)
        if a is None:
            self.tuples.append(("_repair_act_r", n, p, h, self.ref(c.cls[2]), c.day))
        else:
            self.tuples.append(("_repair_act", n, p, h, a, c.day))
        return n

    def known(self, duty: str) -> tuple:
        """The fact that ``duty`` fired in the history."""
        args = _args(duty)
        if duty.startswith("ob(") and len(args) == 3:
            flat = [_flat(a) for a in args]
            if type(flat[0]) is str and None not in flat:
                return ("_repair_known_ob", *flat)
        return ("_repair_known", self.ref(duty))

    def arg(self, n: int, fname: str, value: str) -> None:
        flat = _flat(value)
        if flat is None:
            self.tuples.append(("_repair_arg_r", n, Name(fname), self.ref(value)))
        else:
            self.tuples.append(("_repair_arg", n, Name(fname), flat))


@dataclass(frozen=True)
class RepairSpec:
    """What the pack lets a repair add for one provision."""

    provision: str
    event: str
    fields: Mapping[str, object]   # field -> "holder" | "holders" | "trigger" | value | tuple


def read_repairs(pack: Pack) -> dict[str, RepairSpec]:
    """The `repairs:` section of the pack's manifest (merged with those of the packs it
    extends), checked against its vocabulary."""
    path = pack.folder / MANIFEST
    shown = str(path)
    data = pack.document if pack.document is not None else read_manifest(path, shown)
    section = data.get("repairs") if isinstance(data, dict) else None
    if section is None:
        return {}
    problems: list[Problem] = []

    def bad(node, key, message, where=None):
        line = node.key_lines.get(key, node.line) if isinstance(node, LDict) else getattr(node, "line", 1)
        sources = getattr(node, "key_sources", None) or {}  # a version's repairs hold its parent's
        problems.append(Problem(sources.get(key) or getattr(node, "source", None) or shown, line,
                                f"repairs.{where or key}", message))

    if not isinstance(section, dict):
        raise PackError([Problem(shown, getattr(section, "line", 1), "repairs",
                                 "must map provisions to {event, fields}")])
    out: dict[str, RepairSpec] = {}
    for pid, spec in section.items():
        if pid not in pack.provisions:
            bad(section, pid, f"unknown provision{did_you_mean(pid, pack.provisions)}")
            continue
        if pack.provisions[pid].kind != "achievement":
            bad(section, pid, "only an achievement duty can be met by adding an event")
            continue
        if not isinstance(spec, dict) or spec.get("event") not in pack.event_types:
            bad(section, pid, "needs `event:`, one of the pack's event types")
            continue
        etype = pack.event_types[spec["event"]]
        fields = spec.get("fields") or {}
        if not isinstance(fields, dict):
            bad(spec, "fields", "must map fields to how they are filled")
            continue
        resolved: dict[str, object] = {}
        for fname, how in fields.items():
            f = etype.fields.get(fname)
            where = f"{pid}.fields.{fname}"
            if f is None:
                bad(fields, fname, f"not a field of {etype.name}", where)
                continue
            resolved[fname] = None  # a field with a problem is not also reported missing
            if how == "holders" and not (f.is_list and f.type == "party"):
                bad(fields, fname, "`holders` needs a list of parties", where)
            elif how == "holder" and (f.is_list or f.type != "party"):
                bad(fields, fname, "`holder` needs a single party", where)
            elif how == "trigger" and f.type != "event":
                bad(fields, fname, "`trigger` needs a field that names an event", where)
            elif how in SPECIAL:
                resolved[fname] = how
            elif isinstance(how, list) and how and all(isinstance(v, str) and WORD.match(v) for v in how):
                if f.type == "enum" and any(v not in f.values for v in how):
                    bad(fields, fname, f"values must be among {', '.join(f.values)}", where)
                else:
                    resolved[fname] = tuple(how)
            elif isinstance(how, str) and WORD.match(how) and not f.is_list:
                if f.type == "enum" and how not in f.values:
                    bad(fields, fname, f"{how!r} is not among {', '.join(f.values)}", where)
                else:
                    resolved[fname] = how
            else:
                bad(fields, fname, "give holder, holders, trigger, a value or a list of values", where)
        missing = [n for n, f in etype.fields.items() if f.required and n not in resolved]
        if missing:
            bad(section, pid, f"the added {etype.name} would lack {', '.join(missing)}")
            continue
        if any(v is None for v in resolved.values()):
            continue
        out[pid] = RepairSpec(pid, etype.name, resolved)
    if problems:
        raise PackError(problems)
    return out


@dataclass(frozen=True)
class Repair:
    """One optimal set of events to add, in scenario-file shape (id, date, type, fields)."""

    events: tuple[dict, ...]


@dataclass
class RepairResult:
    scenario: Scenario
    before: Verdicts
    targets: tuple[str, ...]                   # the duties selected for repair
    unrepairable: tuple[tuple[str, str], ...]  # (duty, why it cannot be repaired by adding)
    # (duty, what the best repair is) for a target that was refused: met afterwards, it is late
    refused: tuple[tuple[str, str], ...] = ()
    repairs: list[Repair] = field(default_factory=list)
    optimal: bool = False
    verified: bool | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return bool(self.repairs) or not self.targets


def select_targets(verdicts: Verdicts, specs: Mapping[str, RepairSpec], only: Sequence[str] = (),
                   holder: str | None = None):
    """(duties to repair, (duty, reason) for the selected ones that cannot be repaired)."""
    breached = [o for o in verdicts.obligations if o.status in BREACH_STATUSES]
    known = {o.id for o in verdicts.obligations} | {n.id for n in verdicts.not_fired}
    for ob_id in only:
        if ob_id not in known:
            raise UsageError(f"--only: {ob_id!r} is not an obligation of {verdicts.scenario.path}"
                             f"{did_you_mean(ob_id, known)}")
    chosen = [o for o in breached if (not only or o.id in only) and (holder is None or o.holder == holder)]
    targets, unrepairable = [], []
    for o in chosen:
        if o.kind != "achievement":
            unrepairable.append((o.id, f"a {o.kind} duty: adding events cannot undo a violation"))
        elif o.provision not in specs:
            unrepairable.append((o.id, "the pack declares no action that meets it (repairs:)"))
        elif refused_on(o) is not None and o.status == "late":
            unrepairable.append((o.id, f"{late_at_best(o)}, and {o.met_by} met it"))
        else:
            targets.append(o)
    for ob_id in only:
        o = verdicts.obligation(ob_id)
        if o is None or o.status not in BREACH_STATUSES:
            unrepairable.append((ob_id, "not breached or late: nothing to repair"
                                 if o is not None else "did not fire"))
    return targets, unrepairable


def refused_on(o) -> int | None:
    """The day an achievement duty was refused, when a refusal breached it (only a refusal
    names what breached an achievement duty); None otherwise."""
    return o.breached_on if o.kind == "achievement" and o.breached_by is not None else None


def late_at_best(o) -> str:
    return f"refused on {iso(o.breached_on)} by {o.breached_by}: the best a repair can do is meet it late"


@dataclass
class _Candidate:
    """One action a repair may add: an event of ``etype`` on ``day`` with ``args``."""

    key: str                         # the text of the term act(Provision, Holder | joint, Trigger | none, Day)
    etype: str
    day: int
    args: list                       # (field, value): a value is a term's text, as all terms here
    joint: list = field(default_factory=list)   # (duty, list field, holder)
    options: list = field(default_factory=list)  # (field, value, rank): one is picked
    cls: tuple = ()                  # the key's terms without its day: candidates of a class differ in day


class _Repairer:
    """Candidates from the pack's windows, probed until no added event opens a new duty,
    reduced to the days an optimal repair can use, then optimised over what the probes
    found (optimise_fast) or with the pack's rules (optimise)."""

    MAX_PROBES = 4
    ALL_DAYS = False   # True: try every day of every window (see reduce)
    PARALLEL = True    # probe the last round in a forked process beside the optimisation
    LAZY = True        # ...or, for one optimal repair, only if the cover's repair fails the check
    FAST = True        # False: always optimise with the pack's rules (see optimise_fast)
    BATCH = 400   # candidates per control when independent groups are solved one by one

    def __init__(self, scenario: Scenario, pack: Pack, specs: Mapping[str, RepairSpec], timeout):
        import clingo

        self.clingo, self.scenario, self.pack, self.specs = clingo, scenario, pack, specs
        self.timeout = timeout
        self.days = {e.day for e in scenario.events if e.day <= scenario.as_of}
        self.candidates: dict = {}
        self._index: dict = {}       # (class as text, day) -> its candidate (add_candidates)
        self._classes: dict = {}     # class as text -> the one tuple of its candidates' cls
        self.serving: dict = {}      # duty -> the keys of the candidates that may meet it
        self.windows: dict = {}      # duty -> [(first, last)]: its repair windows
        self.late_terms: set = set()  # target duties that were refused: met, they are late
        self.opens: dict = {}        # candidate key -> the duties it opens (probed)
        self.free: dict = {}         # candidate key -> True: what it opens needs no action,
        #                              False: it needs one, None: the probe cannot tell
        self.settled: dict = {}      # opened duty -> True: it needs no action, False: it
        #                              needs one, None: the probe cannot tell
        self.unattributed = False    # some duty was opened by no single candidate
        self.kept: set = set()       # the candidates worth trying (see reduce)
        self.needed: set = set()     # the duties the kept candidates must meet or open
        self.openers: dict = {}      # opened duty -> the kept candidates that open it
        self.split = False           # whether the last optimisation solved groups apart
        self.timings: dict[str, float] = {}

    # --- grounding and solving -----------------------------------------------------------
    def _control(self, args: list[str], program: str, facts: _Facts | None = None, symbols=(),
                 cand_days=None, parts=(("base", []),)):
        """A control grounded (``parts``) over the pack's rules, ``program``, the history's
        facts, the ``facts`` (with TERMS_PROGRAM) and the ``symbols``."""
        clingo = self.clingo
        messages: list[str] = []

        def logger(code, message):
            if code in (clingo.MessageCode.RuntimeError, clingo.MessageCode.OperationUndefined):
                messages.append(message.strip())

        ctl = clingo.Control(["--warn=none"] + args, logger=logger, message_limit=50)
        try:
            for path in rule_files(self.pack):
                ctl.load(str(path))
        except RuntimeError:
            raise PackError("rules: " + "; ".join(messages)) from None
        ctl.add("base", [], program)
        if cand_days is None:
            cand_days = [c.day for c in self.candidates.values()]
        days = sorted(self.days.union(cand_days))
        # every day an event may fall on is chained, so that "the first X on or after D"
        # (first_on_or_after.lp) sees added events too
        inputs = give_inputs(ctl, self.scenario, self.pack, chained_days=days)
        if facts is not None:
            add_facts(ctl, facts.tuples)
        if facts is not None:
            ctl.add("base", [], TERMS_PROGRAM)
            Function, Number, parse = clingo.Function, clingo.Number, clingo.parse_term
            symbols = list(symbols) + [Function("_repair_term", [Number(n), parse(text)])
                                       for n, text in facts.symbols]
        if symbols:
            with ctl.backend() as backend:
                add_atom, add_rule = backend.add_atom, backend.add_rule
                for symbol in symbols:
                    add_rule([add_atom(symbol)])
        try:
            ctl.ground(list(parts), context=inputs)
        except RuntimeError:
            raise PackError("rules: grounding failed: " + "; ".join(messages)) from None
        return ctl

    def _wait(self, ctl, on_model):
        with ctl.solve(on_model=on_model, async_=True) as handle:
            if not (handle.wait() if self.timeout is None else handle.wait(self.timeout)):
                handle.cancel()
                return None
            return handle.get()

    def probe(self, candidates=(), fired=None):
        """The history alone: (the shown terms of its verdicts, its repair windows {duty: [(first, last)]},
        the duties that fired, those breached or late). With ``candidates`` added (as if all
        happened), what they change: (the repair windows, {duty: [status, met_by]} for every
        duty that fired and is not in ``fired``, i.e. that the added events opened)."""
        from checker.engine.decode import REPORT_PART
        from checker.engine.solve import atoms_of

        if candidates:
            facts = _Facts()
            add, act, arg = facts.tuples.append, facts.act, facts.arg
            for c in candidates:
                n = act(c)
                add(("_repair_event", n, Name(c.etype), c.day))
                for f, v in c.args:
                    arg(n, f, v)
                for _, f, h in c.joint:
                    arg(n, f, h)
                # probed with the value the pack lists first (the optimisation tries them all)
                for f, v, rank in c.options:
                    if rank == 0:
                        arg(n, f, v)
            add(("_repair_seq", len(self.scenario.events)))
            facts.tuples.extend(facts.known(duty) for duty in fired)
            ctl = self._control([], PROBE_OPENED_PROGRAM, facts)
            signatures = OPENED
        else:
            ctl = self._control([], PROBE_PROGRAM, parts=(("base", []), (REPORT_PART, [])))
            signatures = (("fired", 2), ("status", 2), ("repair_window", 3))
        # (the rules are stratified: what they derive is a fact, read off the grounder; a model
        # is still asked for, to see that there is exactly one)
        read = facts_of(ctl, signatures)
        models: list = []

        def on_model(m):
            models.append((read if read is not None else atoms_of(m.symbols(atoms=True), signatures),
                           m.symbols(shown=True)))

        result = self._wait(ctl, on_model)
        if result is None:
            raise SolveTimeout(f"repairing {self.scenario.path} took longer than {self.timeout:g} s")
        if len(models) != 1:
            raise PackError(f"rules: {self.pack.name} gave {len(models)} answer sets while probing "
                            f"repairs of {self.scenario.path}; the rules must give exactly one")
        atoms, shown = models[0]
        if candidates:
            opened, windows, statuses, met_by = atoms
            info = {duty: [None, None] for duty in _pieces(opened, "_repair_opened")}
            for piece in _pieces(statuses, "_repair_opened_status"):
                duty, status = _pair(piece)
                info[duty][0] = status
            for piece in _pieces(met_by, "_repair_opened_by"):
                duty, event = _pair(piece)
                info[duty][1] = event
            return _windows(windows, "_repair_opened_window"), info
        fired_ = set()
        for piece in _pieces(atoms[0], "fired"):
            parts = _last_number(piece, 1)
            fired_.add(parts[0] if parts is not None else _split(piece)[0])
        was = set()
        for piece in _pieces(atoms[1], "status"):
            duty, status = _pair(piece)
            if status in BREACH_STATUSES:
                was.add(duty)
        return shown, _windows(atoms[-1], "repair_window"), fired_, was

    # --- candidates ----------------------------------------------------------------------
    def add_candidates(self, windows: Mapping, open_duties) -> int:
        """Candidate actions for each open duty, on every day of its window (as_of at most).

        An action names the duty's trigger only when the pack fills a field with it, and its
        holder only when it is not joint: so one report on a day is one candidate whichever
        help it reports, and one consultation on a day serves every holder it may name."""
        added = 0
        shapes: dict = {}   # provision -> what its candidates carry besides holder and trigger
        for duty in open_duties:
            provision, holder, trigger = _args(duty)
            spec = self.specs[_unquote(provision)]
            shape = shapes.get(spec.provision)
            if shape is None:
                etype = self.pack.event_types[spec.event]

                def value(fname, text, etype=etype):
                    stringly = etype.fields[fname].type in ("event", "text")
                    return _quote(text) if stringly else text

                hows = {h for h in spec.fields.values() if isinstance(h, str)}
                fixed, options = [], []
                for fname, how in spec.fields.items():
                    if isinstance(how, tuple):
                        options.extend((fname, value(fname, v), rank) for rank, v in enumerate(how))
                    elif how not in SPECIAL:
                        fixed.append((fname, value(fname, how)))
                shape = shapes[spec.provision] = (
                    "holders" in hows, "trigger" in hows, fixed, options,
                    [f for f, how in spec.fields.items() if how == "holder"],
                    [f for f, how in spec.fields.items() if how == "trigger"],
                    [f for f, how in spec.fields.items() if how == "holders"])
            joint, by_trigger, fixed, options, holder_fields, trigger_fields, holders_fields = shape
            about = trigger if by_trigger else "none"
            serving = self.serving.setdefault(duty, set())
            # (one tuple per class: reduce tells the classes apart by it)
            named = (provision, "joint" if joint else holder, about)
            cls = self._classes.setdefault(named, named)
            head = "act(%s,%s,%s," % cls
            with_about = about != "none"
            index = self._index
            for first, last in windows.get(duty, ()):
                for day in range(first, min(last, self.scenario.as_of) + 1):
                    c = index.get((named, day))
                    if c is None:
                        key = "%s%d)" % (head, day)
                        args = [(f, holder) for f in holder_fields]
                        if with_about:
                            args += [(f, about) for f in trigger_fields]
                        c = self.candidates[key] = _Candidate(key, spec.event, day, args + fixed,
                                                              options=list(options), cls=cls)
                        index[(named, day)] = c
                        added += 1
                    serving.add(c.key)
                    for fname in holders_fields:
                        if (duty, fname, holder) not in c.joint:
                            c.joint.append((duty, fname, holder))
        return added

    def learn(self, probed, opened: Mapping, attribute: bool = True) -> None:
        """What the ``probed`` candidates open (``opened``: probe's {duty: (status, met_by)}),
        and whether each is free: every duty it opens is fine with no further action."""
        keys = {c.key for c in probed}
        for duty in opened if attribute else ():
            named: list = []
            self._named(duty, keys, named)
            if not named:   # opened by the added events together: no day can be left out
                self.unattributed = True
            for key in named:
                self.opens.setdefault(key, []).append(duty)
        for duty, (status, met_by) in opened.items():
            if status in BREACH_STATUSES:
                self.settled[duty] = False
            elif met_by is not None and met_by in self.candidates:
                self.settled[duty] = None   # met by another candidate: maybe not without it
            else:
                self.settled[duty] = True
        for c in probed:
            free = True
            for duty in self.opens.get(c.key, ()):
                if self.settled[duty] is False:
                    free = False
                    break
                if self.settled[duty] is None:
                    free = None
            self.free[c.key] = free

    def _named(self, term: str, keys, out) -> None:
        """The candidate keys among ``keys`` that ``term`` names, into ``out``."""
        if term in keys:
            out.append(term)
        else:
            for arg in _args(term):
                self._named(arg, keys, out)

    def settle(self, fired) -> None:
        """Probe again, alone, the candidates whose opened duty another candidate met: what
        they open needs an action or not without the others."""
        unsure = [c for c in self.candidates.values() if self.free.get(c.key, True) is None]
        if unsure:
            _, opened = self.probe(unsure, fired)
            self.learn(unsure, opened, attribute=False)

    def probe_halves(self, candidates, fired):
        """``probe``, half of the candidates in a forked process when there is a second
        core and enough of them: a duty one candidate opens is opened with or without the
        others, and one that needs no action with some of them added needs none alone."""
        half = len(candidates) // 2
        mine, theirs = candidates[:half], candidates[half:]
        ahead = self.probe_ahead(theirs, fired) if len(candidates) >= 2 * self.BATCH and theirs else None
        if ahead is None:
            return self.probe(candidates, fired)
        try:
            windows, opened = self.probe(mine, fired)
        finally:
            more_windows, more_opened = ahead()
        windows.update(more_windows)
        opened.update(more_opened)
        return windows, opened

    def probe_ahead(self, candidates, fired):
        """``probe`` in a forked process (None: there is no second core): returns what waits
        for its answer."""
        wait = _in_child(lambda: self.probe(candidates, fired))
        return wait

    # --- the days worth trying -----------------------------------------------------------
    def reduce(self, targets) -> None:
        """The candidates an optimal repair can use (``self.kept``), out of every day of
        every window, and the duties they must meet or open (``self.needed``).

        Ties go to the earliest day. The pack's windows are exact for the actions it
        declares (an added action of a duty's class meets it exactly on the days of its
        window; the first meeting counts), and adding an action, or moving one earlier
        within the windows it is needed for, never breaches a duty but those it opens.
        Then in an optimal repair no action can move to an earlier day of its class at no
        cost, and every action is on a day kept here:

        * an action that opens no duty is on the latest first day of the windows it is
          needed for (that day lies in all of them): a class of such actions is kept on
          the first day of each needed window (a joint consultation: the first day of the
          holders' windows it serves);
        * an action that opens a duty (help that must be reported) is on the first day
          b of a needed window; or on the first free day after b (its opened duty needs
          no action: met by an event of the history, pending or not opened); or on a day
          its probe could not settle (met by another candidate); or on the earliest day
          after b whose opened duty's window holds the day t of the action that meets it
          (the same action meets it there). Its opened duty is then needed, which keeps
          more days of the actions that meet it, which keep more days here: the sets are
          computed together, as a least fixpoint. Since an opened window starts on the
          day of the action that opened it, each action's day follows from an earlier
          or needed one, so nothing an optimal repair uses is left out.

        A class whose actions open more than one duty, a duty whose window does not start
        on the day of the action that opened it or that has no window, or a duty the added
        events opened together, keeps every day. ``ALL_DAYS`` switches the reduction off
        (the tests compare both on every bundled scenario and on random histories)."""
        import bisect

        # everything by number (lists indexed by candidate, rather than dicts keyed by its text)
        cands = list(self.candidates.values())
        index = {c.key: i for i, c in enumerate(cands)}
        duty_no: dict = {}

        def dno(duty):
            n = duty_no.get(duty)
            if n is None:
                n = duty_no[duty] = len(duty_no)
            return n

        serving = {dno(d): [index[k] for k in keys] for d, keys in self.serving.items()}
        windows = {dno(d): w for d, w in self.windows.items()}
        opens = {index[k]: [dno(d) for d in ds] for k, ds in self.opens.items() if ds}
        free = [self.free.get(c.key, True) for c in cands]
        cls_no: dict = {}
        # (the candidates of a class share one cls tuple: see add_candidates)
        cls = [cls_no.setdefault(id(c.cls), len(cls_no)) for c in cands]
        day = [c.day for c in cands]
        every = self.ALL_DAYS or self.unattributed
        by_cls: list = [{} for _ in cls_no]
        for i, cl in enumerate(cls):
            by_cls[cl][day[i]] = i
        days_of = [sorted(d) for d in by_cls]
        class_of = {d: {cls[i] for i in keys} for d, keys in serving.items()}
        served_by: list = [set() for _ in cls_no]   # class -> the duties it may meet
        for d, classes in class_of.items():
            for cl in classes:
                served_by[cl].add(d)
        opening, every_day = set(), set()
        reach: dict = {}       # opening class -> the last day its opened windows reach
        for i, ds in opens.items():
            cl = cls[i]
            opening.add(cl)
            if every or len(ds) > 1 or any(not windows.get(o) or any(f != day[i] for f, _ in windows[o])
                                           for o in ds):
                every_day.add(cl)
            else:
                reach[cl] = max([reach.get(cl, day[i])] + [last for o in ds for _, last in windows[o]])
        servers: dict = {}     # opening class -> the classes that may meet what it opens
        dependents: dict = {}  # and back
        for i, ds in opens.items():
            for o in ds:
                for server in class_of.get(o, ()):
                    servers.setdefault(cls[i], set()).add(server)
                    dependents.setdefault(server, set()).add(cls[i])
        kept: set = set()
        needed: set = set()
        bases: dict = {}       # class -> {first day of a needed window: the classes that opened it}
        lowest: dict = {}      # class -> its earliest base
        kept_days: dict = {}   # class -> sorted kept days
        work: list = []
        TARGET = -1            # a needed window of a selected duty (opened by no class)

        def keep(i):
            if i is not None and i not in kept:
                kept.add(i)
                work.append((False, i, None))

        def need(duty, source):
            if duty not in needed:
                needed.add(duty)
                work.append((True, duty, source))

        def first_free(cl, b):
            days = days_of[cl]
            for n in range(bisect.bisect_left(days, b), len(days)):
                i = by_cls[cl][days[n]]
                if free[i] is True:
                    return i
            return None

        def met_on(cl, b, t):
            """The earliest candidate of opening class cl on a day b..t that needs nothing
            or whose opened duties an action on day t meets (their windows start on its day)."""
            days = days_of[cl]
            for n in range(bisect.bisect_left(days, b), bisect.bisect_right(days, t)):
                i = by_cls[cl][days[n]]
                if free[i] is True or all(any(f <= t <= last for f, last in windows[o])
                                          for o in opens[i]):
                    return i
            return None

        def serves_other(server, t, cl):
            """Whether an action of ``server`` on day t can be needed by something other than
            the one action of opening class ``cl`` (a class that serves one duty uses at most
            one action in an optimal repair: its own opened duty cannot move it)."""
            if server in opening or server in every_day:
                return True
            sources = bases.get(server, {}).get(t, ())
            return any(src != cl for src in sources) or cl not in single

        def base(cl, b, source):
            sources = bases.setdefault(cl, {}).setdefault(b, set())
            if source in sources:
                return
            if b < lowest.get(cl, b + 1):
                lowest[cl] = b
            fresh = not sources
            sources.add(source)
            if fresh:
                keep(by_cls[cl][b])
                if every or cl in every_day:
                    for i in by_cls[cl].values():
                        keep(i)
                elif cl in opening:
                    keep(first_free(cl, b))
                    for d in days_of[cl]:
                        if d >= b and free[by_cls[cl][d]] is None:
                            keep(by_cls[cl][d])
                    for server in servers.get(cl, ()):
                        ts = kept_days.get(server, [])
                        for n in range(bisect.bisect_left(ts, b), bisect.bisect_right(ts, reach[cl])):
                            if serves_other(server, ts[n], cl):
                                keep(met_on(cl, b, ts[n]))
            if cl not in opening and cl not in every_day:
                # a new reason for an action on day b: the days of the actions it may serve
                for other in dependents.get(cl, ()):
                    if (b <= reach.get(other, -1) and lowest.get(other, b + 1) <= b
                            and other not in every_day and serves_other(cl, b, other)):
                        for b2 in list(bases[other]):
                            if b2 <= b:
                                keep(met_on(other, b2, b))

        # the classes that serve one duty only: at most one of their actions is ever needed
        single = {cl for cl, served in enumerate(served_by) if len(served) == 1}
        for t in targets:
            need(dno(t), TARGET)
        while work:
            is_duty, x, source = work.pop()
            if is_duty:
                for cl in class_of.get(x, ()):
                    for f, _ in windows.get(x, ()):
                        if f in by_cls[cl]:
                            base(cl, f, source)
                continue
            cl, t = cls[x], day[x]
            bisect.insort(kept_days.setdefault(cl, []), t)
            for o in opens.get(x, ()):
                need(o, cl)
            if cl in opening or cl in every_day:
                for other in dependents.get(cl, ()):
                    if other not in every_day and t <= reach[other]:
                        for b in list(bases.get(other, ())):
                            if b <= t:
                                keep(met_on(other, b, t))
        duties = list(duty_no)
        self.kept = {cands[i].key for i in kept}
        self.needed = {duties[d] for d in needed}
        self.openers = {}
        for i in kept:
            for o in opens.get(i, ()):
                self.openers.setdefault(duties[o], []).append(cands[i].key)

    # --- the optimisation ----------------------------------------------------------------
    def groups(self, targets) -> list[tuple[list, list]] | None:
        """The selected duties split into groups that share no kept candidate action, each
        with its candidates: (duties, candidates) per group, or None when they cannot be
        split.

        A duty joins every kept candidate that may meet it; a duty that added events open
        (help that must be reported) joins the candidates that opened it. The objective is
        a sum over actions and the constraints of one group read only its own actions, so
        the optimum of all duties is the union of the optima of the groups (the union is
        checked again as a whole scenario all the same)."""
        if self.unattributed:
            return None
        parent: dict = {}

        def find(x):
            root = x
            while parent.get(root, root) != root:
                root = parent[root]
            while x != root:
                parent[x], x = root, parent[x]
            return root

        kept = self.kept
        target_set = set(targets)
        for duty in self.needed:
            keys = [k for k in self.serving.get(duty, ()) if k in kept]
            if duty not in target_set:
                keys += self.openers.get(duty, ())
            if keys:
                root = find(keys[0])
                for k in keys[1:]:
                    other = find(k)
                    if other != root:
                        parent[other] = root
        by_root: dict = {}
        for t in targets:
            keys = [k for k in self.serving.get(t, ()) if k in kept]
            if not keys:   # a selected duty no action can meet: nothing can repair it
                return None
            by_root.setdefault(find(keys[0]), ([], []))[0].append(t)
        order = {}
        for n, (k, c) in enumerate(self.candidates.items()):
            if k in kept:
                order[k] = n
                root = find(k)
                if root in by_root:
                    by_root[root][1].append(c)
        return sorted(by_root.values(), key=lambda g: order[g[1][0].key])

    def optimise_fast(self, targets, max_actions, all_optimal, limit):
        """(optimal repairs as shown atoms, proven) from COVER_PROGRAM over the kept
        candidates and what the probes found, or None when that cannot settle them.

        Under the pack's windows (see reduce) a set of kept actions is a repair exactly when
        every selected duty is met by one of them and every duty they open needs no action
        or is met by one of them. Whether an opened duty needs an action is known from the
        probe, except when another candidate met it there: it is solved twice, once with
        such duties needing an action (every repair found is then a repair) and once
        needing none (every repair is then among those found); the same optimum (with
        ``all_optimal``, the same repairs) settles it. The caller checks the repair with
        the pack's rules and solves with them (optimise) when that fails."""
        if self.unattributed:
            return None
        # actions and duties by number (the program is small; its terms need not be)
        kept = [c for k, c in self.candidates.items() if k in self.kept]
        number = {c.key: i for i, c in enumerate(kept)}
        duties = list(self.needed)
        duty_no = {d: j for j, d in enumerate(duties)}
        lo = min((c.day for c in kept), default=0)
        facts = []
        add = facts.append
        shapes: dict = {}   # the candidates of a provision share their list of options
        for i, c in enumerate(kept):
            add(("cand", i))
            add(("cand_weight", i, c.day - lo))
            # (one optimal repair: a field's first value costs nothing and constrains nothing
            # here, so the optimum takes it; it is named below rather than chosen by clingo)
            if c.options and all_optimal:
                shape = _flat(c.cls[0])
                if shape not in shapes:
                    shapes[shape] = c.options
                    facts.extend(("option", shape, Name(f), _flat(v), rank) for f, v, rank in c.options)
                add(("cand_options", i, shape))
            for duty, _, _ in c.joint:
                if duty in duty_no:
                    add(("cand_joint", i, duty_no[duty]))
        for duty, j in duty_no.items():
            for k in self.serving.get(duty, ()):
                i = number.get(k)
                if i is not None and not self.candidates[k].joint:
                    add(("cand_meets", i, j))
        facts.extend(("repair_target", duty_no[t]) for t in targets)
        if max_actions is not None:
            add(("repair_max", max_actions))
        if all_optimal:
            add(("all_optimal",))
        must, maybe = [], []
        for k, i in number.items():
            for duty in self.opens.get(k, ()):
                settled = self.settled.get(duty)
                if settled is False:
                    must.append(("cand_opens", i, duty_no[duty]))
                elif settled is None:
                    maybe.append(("cand_opens", i, duty_no[duty]))
        strict = self._cover(facts + must + maybe, all_optimal, limit)
        if not strict[1]:
            return None
        if maybe:
            loose = self._cover(facts + must, all_optimal, limit)
            if not loose[1]:
                return None
            if all_optimal:
                same = {frozenset(m) for m in strict[0]} == {frozenset(m) for m in loose[0]}
            else:
                same = strict[2] == loose[2]
            if not same:
                return None

        def named(model):   # back to the candidates' and duties' terms
            out = []
            for name, i, *rest in model:
                c = kept[int(i)]
                if name == "serves":
                    out.append((name, c.key, duties[int(rest[0])]))
                else:
                    out.append((name, c.key, *rest))
                    if name == "use" and not all_optimal:
                        out.extend(("picked", c.key, f, v) for f, v, rank in c.options if rank == 0)
            return out

        return [named(m) for m in strict[0]], strict[1]

    def _cover(self, facts, all_optimal, limit):
        """(models, proven, cost) of COVER_PROGRAM with ``facts``."""
        args = ["--warn=none", "--opt-strategy=usc"]
        args += ["--opt-mode=optN", "--models=0"] if all_optimal else ["--opt-mode=opt"]
        ctl = self.clingo.Control(args)
        ctl.add("base", [], COVER_PROGRAM)
        add_facts(ctl, facts)
        ctl.ground([("base", [])])
        found: list = []
        best: list = []
        cost: list = []

        def on_model(model):
            if all_optimal:
                if model.optimality_proven and len(found) < limit:
                    found.append(_shown(model))
            else:
                best[:] = [model.symbols(shown=True)]
                cost[:] = model.cost

        result = self._wait(ctl, on_model)
        if result is None:
            return [], False, None
        if not result.satisfiable:
            return [], True, None
        return (found if all_optimal else [_atoms(best[0])]), True, tuple(cost)

    def optimise(self, targets, was_breach, max_actions, all_optimal, limit, split=True):
        """(optimal repairs as shown atoms, whether optimality was proven): the duties are
        split into independent groups (see groups), solved in batches of a control each,
        unless every optimal repair is wanted (or ``split`` is false)."""
        groups = self.groups(targets) if split and not all_optimal else None
        self.split = groups is not None and len(groups) >= 2
        if not self.split:
            kept = [c for k, c in self.candidates.items() if k in self.kept]
            return self.solve_group(targets, kept, was_breach,
                                    max_actions, all_optimal, limit)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        # small groups are solved together: a control costs a grounding of the whole history
        batches: list = []
        size = 0
        for duties, cands in groups:
            if not batches or size + len(cands) > self.BATCH:
                batches.append(([], []))
                size = 0
            batches[-1][0].extend(duties)
            batches[-1][1].extend(cands)
            size += len(cands)
        symbols: list = []
        optimal = True
        used = 0
        total = self.timeout
        try:
            solved = self._solve_batches(batches, was_breach, deadline)
        except SolveTimeout:
            raise SolveTimeout(f"repairing {self.scenario.path} took longer than {total:g} s") from None
        finally:
            self.timeout = total
        for models, proven in solved:
            if not models:
                return [], proven
            optimal = optimal and proven
            batch = models[0]
            used += sum(1 for s in batch if s[0] == "use")
            symbols.extend(batch)
        if max_actions is not None and used > max_actions:
            # the fewest actions are the sum of the fewest of each group: none fits
            return [], optimal
        return [symbols], optimal

    def _solve_batches(self, batches, was_breach, deadline):
        """solve_group of each batch: half of them in a forked process when there are two
        cores or more (the groups share nothing, and each has a control of its own)."""

        def run(indices):
            out = []
            for i in indices:
                if deadline is not None:
                    self.timeout = max(deadline - time.monotonic(), 0.001)
                out.append(self.solve_group(*batches[i][:2], was_breach, None, False, 1))
            return out

        order = sorted(range(len(batches)), key=lambda i: -len(batches[i][1]))
        mine, theirs, load = [], [], [0, 0]
        for i in order:   # the biggest first, each to the lighter side
            side = 0 if load[0] <= load[1] else 1
            (mine, theirs)[side].append(i)
            load[side] += len(batches[i][1])
        wait = _in_child(lambda: run(theirs), "solving a group of duties") if theirs else None
        if wait is None:
            return run(sorted(mine + theirs))
        try:
            solved = dict(zip(mine, run(mine)))
        finally:
            outcome = wait(raw=True)  # the child is reaped whatever happened here
        payload = _child_result(*outcome, "solving a group of duties")
        solved.update(zip(theirs, payload))
        return [solved[i] for i in range(len(batches))]

    def solve_group(self, targets, cands, was_breach, max_actions, all_optimal, limit):
        """One optimisation over ``cands`` for the duties ``targets``."""
        clingo = self.clingo
        Function, Number, parse = clingo.Function, clingo.Number, clingo.parse_term
        terms: dict = {}

        def term(text):   # (the candidates' and duties' terms, from their text)
            sym = terms.get(text)
            if sym is None:
                sym = terms[text] = parse(text)
            return sym

        lo = min((c.day for c in cands), default=0)
        extra = []
        for c in cands:
            key = term(c.key)
            extra.append(Function("cand", [key]))
            extra.append(Function("cand_event", [key, Function(c.etype), Number(c.day)]))
            extra.extend(Function("cand_arg", [key, Function(f), term(v)]) for f, v in c.args)
            extra.extend(Function("cand_joint", [key, term(duty), Function(f), term(h)])
                         for duty, f, h in c.joint)
            extra.append(Function("cand_weight", [key, Number(c.day - lo)]))
            for f, v, rank in c.options:
                extra.append(Function("cand_option", [key, Function(f), term(v), Number(rank)]))
        extra.extend(Function("repair_target", [term(t)]) for t in targets)
        extra.extend(Function("repair_late", [term(t)]) for t in targets if t in self.late_terms)
        extra.extend(Function("was_breach", [term(t)]) for t in was_breach)
        extra.extend(Function("breach_status", [Function(s)]) for s in BREACH_STATUSES)
        extra.append(Function("repair_seq", [Number(len(self.scenario.events))]))
        if max_actions is not None:
            extra.append(Function("repair_max", [Number(max_actions)]))
        if all_optimal:
            extra.append(Function("all_optimal"))
        args = ["--opt-strategy=usc"]
        args += ["--opt-mode=optN", "--models=0"] if all_optimal else ["--opt-mode=opt"]
        ctl = self._control(args, REPAIR_PROGRAM, symbols=extra, cand_days=[c.day for c in cands])
        found: list = []
        best: list = []
        shown = ("use", "serves", "picked")

        def on_model(model):
            if all_optimal:
                if model.optimality_proven and len(found) < limit:
                    found.append(_atoms(model.symbols(shown=True), shown))
            else:
                best[:] = [model.symbols(shown=True)]

        result = self._wait(ctl, on_model)
        if result is None:  # out of time: the best repair so far, if any, unproven
            if best and not all_optimal:
                return [_atoms(best[0], shown)], False
            raise SolveTimeout(f"repairing {self.scenario.path} took longer than {self.timeout:g} s")
        if not result.satisfiable:
            return [], True
        return (found if all_optimal else [_atoms(best[0], shown)]), True

    def as_events(self, atoms) -> Repair:
        """A repair's shown atoms (see _atoms) as events ready to paste into the scenario."""
        used = [a[1] for a in atoms if a[0] == "use"]
        served: dict = {}
        picked: dict = {}
        for a in atoms:
            if a[0] == "serves":
                served.setdefault(a[1], set()).add(a[2])
            elif a[0] == "picked":
                picked.setdefault(a[1], []).append((a[2], a[3]))
        cands = sorted((self.candidates[k] for k in used), key=lambda c: (c.day, c.etype, c.key))
        taken = {e.id for e in self.scenario.events}
        ids: dict = {}
        n = 0
        for c in cands:
            n += 1
            while f"repair-{n}" in taken:
                n += 1
            ids[c.key] = f"repair-{n}"
        events = []
        for c in cands:
            spec = self.pack.event_types[c.etype]
            given: dict = {}
            for f, v in c.args + picked.get(c.key, []):
                given.setdefault(f, []).append(v)
            for duty, f, h in c.joint:
                if duty in served.get(c.key, ()):
                    given.setdefault(f, []).append(h)
            event = {"id": ids[c.key], "date": iso(c.day), "type": c.etype}
            for fname, f in spec.fields.items():  # in the manifest's order
                if fname in given:
                    texts = sorted(dict.fromkeys(ids.get(v) or _plain(v) for v in given[fname]))
                    event[fname] = texts if f.is_list else texts[0]
            events.append(event)
        return Repair(tuple(events))


def _atoms(symbols, names=None) -> list:
    """Atoms as tuples (name, the texts of its arguments...), read from one printing of them
    all (those named ``names``, if given)."""
    from clingo import Tuple_

    out = []
    for atom in _split(str(Tuple_(symbols))[1:-1]) if symbols else ():
        open_ = atom.find("(")
        name = atom if open_ < 0 else atom[:open_]
        if names is None or name in names:
            out.append((name, *_args(atom)))
    return out


def _shown(model) -> list:
    """The shown atoms of a model, as _atoms."""
    return _atoms(model.symbols(shown=True))


def _in_child(work, what: str = "probing repairs"):
    """Start ``work()`` in a forked process when there are two cores or more; returns the
    function that waits for its (picklable) result, or None (then the caller does it).
    ``wait()`` returns the result or raises what the child met; ``wait(raw=True)`` returns
    (kind, value) for ``_child_result``, so that a caller can reap the child in a finally."""
    import multiprocessing
    import threading

    if ((os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1):
        return None   # (forking a threaded process is unsafe)
    # (forked, the child has the repairer as it is: ``work`` is a closure over it, and only
    # its result crosses the pipe)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(work, send), daemon=True)
    child.start()
    send.close()

    def wait(raw: bool = False):
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = ("error", "the process ended early")
        finally:
            receive.close()
            child.join()
        return outcome if raw else _child_result(*outcome, what)

    return wait


def _child(work, send) -> None:
    """The forked process of _in_child: do the work, send what came of it."""
    try:
        payload = ("ok", work())
    except SolveTimeout as exc:
        payload = ("timeout", str(exc))
    except Exception as exc:  # noqa: BLE001 - reported by the parent
        payload = ("error", f"{type(exc).__name__}: {exc}")
    send.send(payload)
    send.close()


def _child_result(kind: str, value, what: str):
    if kind == "timeout":
        raise SolveTimeout(value)
    if kind == "error":
        raise PackError(f"rules: {what} failed: {value}")
    return value


def _windows(atoms, name: str) -> dict:
    """The atoms ``name``(Duty, First, Last) (symbols) as {duty: [(first, last)]}."""
    windows: dict = {}
    for piece in _pieces(atoms, name):
        parts = _last_number(piece, 2)
        if parts is None:
            duty, first, last = _split(piece)
            parts = [duty, int(first), int(last)]
        duty, first, last = parts
        windows.setdefault(duty, []).append((first, last))
    return windows


def repair(path: str | Path, *, only: Sequence[str] = (), holder: str | None = None,
           max_actions: int | None = None, all_optimal: bool = False, limit: int = 20,
           rules_root: Path | None = None, as_of: str | None = None,
           readings: Mapping[str, str] | None = None, parameters: Mapping[str, int] | None = None,
           timeout: float | None = None, verify: bool = True) -> RepairResult:
    """The smallest sets of events (ties: the earliest) that turn the selected breached or
    late duties of ``path`` into fulfilled ones without breaching any other duty."""
    return _repair(path, only, holder, max_actions, all_optimal, limit, rules_root, as_of,
                   readings, parameters, timeout, verify)


def _repair(path, only, holder, max_actions, all_optimal, limit, rules_root, as_of, readings,
            parameters, timeout, verify) -> RepairResult:
    from checker.engine.decode import decode
    from checker.io.scenario import _load, load_scenario, read_document

    timings: dict[str, float] = {}
    start = time.perf_counter()
    if Path(path).suffix.lower() == ".json":
        doc = None
        scenario, pack = load_scenario(path, rules_root=rules_root, as_of=as_of, readings=readings,
                                       parameters=parameters)
    else:  # (as load_scenario does; the document is kept for the checks of the repairs)
        doc = read_document(Path(path), str(path))
        scenario, pack = _load(Path(path), doc, rules_root, as_of, readings, parameters)
    if scenario.uncertain:
        raise UsageError(f"{scenario.path}: repair needs a scenario whose facts are certain "
                         "(pick a world first, e.g. with whatif --set)")
    # (names on a non-party list, such as a default guarantor the scenario left out, hold no duty)
    parties = {m for role, members in scenario.roles.items() if role not in pack.non_party for m in members}
    if holder is not None and holder not in parties:
        raise UsageError(f"--holder: {holder!r} is not a party of {scenario.path}"
                         f"{did_you_mean(holder, parties)}")
    specs = read_repairs(pack)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    r = _Repairer(scenario, pack, specs, timeout)
    plain, windows, fired, was = r.probe()
    before = decode(plain, scenario, pack)
    targets, unrepairable = select_targets(before, specs, only, holder)
    result = RepairResult(scenario, before, tuple(o.id for o in targets), tuple(unrepairable),
                          timings=timings)
    timings["history"] = time.perf_counter() - start
    if not targets:
        result.optimal = True
        return result
    start = time.perf_counter()
    from checker.engine.decode import duty_key
    from checker.model import obligation_id

    target_ids = set(result.targets)
    # (a selected duty is breached or late: only those are named)
    target_terms = [d for d in windows if d in was and obligation_id(*duty_key(r.clingo.parse_term(d))) in target_ids]
    # a refused duty can only be met after its refusal, and is then late
    refused = {o.id: o for o in targets if refused_on(o) is not None}
    result.refused = tuple((o.id, late_at_best(o)) for o in refused.values())
    for d in target_terms:
        o = refused.get(obligation_id(*duty_key(r.clingo.parse_term(d))))
        if o is not None:
            windows[d] = [(max(first, o.breached_on), max(last, o.breached_on)) for first, last in windows[d]]
            r.late_terms.add(d)
    r.windows.update(windows)
    r.add_candidates(windows, target_terms)
    opened = set(target_terms)

    def step(probed, found):
        """Learn a probe of ``probed``: (the new candidates for the duties they opened,
        whether they opened any)."""
        windows, info = found
        r.learn(probed, info)
        new = [d for d in windows if d not in opened and _unquote(_args(d)[0]) in specs]
        for d in new:
            r.windows[d] = windows[d]
        opened.update(new)
        known = set(r.candidates)
        r.add_candidates(windows, new)
        return [c for k, c in r.candidates.items() if k not in known], bool(info)

    # (one optimal repair wanted, and checked with the pack's rules: see the end of _repair)
    lazy = r.LAZY and r.PARALLEL and r.FAST and verify and not all_optimal

    def explore(fresh, rounds):
        """Probe round after round until no added event opens a duty (MAX_PROBES at most).
        The first round probes the provision with the most candidates (in two processes
        when there is a second core) and leaves the others to the next round. That round,
        the last one unless what it opens needs actions of its own, is returned unprobed:
        (candidates, rounds, ahead), where ``ahead`` waits for its probe in a forked process
        that runs beside the optimisation, or is None (``lazy``: probed only if needed)."""
        later: list = []
        while fresh or later:
            if rounds == _Repairer.MAX_PROBES:
                r.unattributed = True   # the last candidates were not probed: keep every day
                break
            rounds += 1
            if not r.PARALLEL:
                fresh, _ = step(fresh, r.probe(fresh, fired))
                continue
            if rounds >= 2:
                batch = fresh + later
                if lazy:
                    return (batch, rounds, None)
                ahead = r.probe_ahead(batch, fired)
                if ahead is not None:
                    return (batch, rounds, ahead)
                fresh, later = batch, []
            elif len(fresh) >= 2 * r.BATCH:
                # (a duty the first provision's actions open is then met in its probe by no
                # candidate of another provision: whether it needs an action is known)
                by_provision: dict = {}
                for c in fresh:
                    by_provision.setdefault(c.cls[0], []).append(c)
                first = max(by_provision.values(), key=len)
                later = [c for c in fresh if c.cls[0] != first[0].cls[0]]
                fresh = first
            fresh, _ = step(fresh, r.probe_halves(fresh, fired))
        return None

    def solve_and_check(final=True):
        """Reduce, optimise, check. Unless ``final``, stop at a repair of the cover that fails
        the check (or at no repair from it): the caller probes the last round first. True
        when the cover's repair passed the check."""
        r.settle(fired)
        timings["probe"] = timings.get("probe", 0.0) + time.perf_counter() - start
        began = time.perf_counter()
        r.reduce(target_terms)
        timings["reduce"] = timings.get("reduce", 0.0) + time.perf_counter() - began
        began = time.perf_counter()
        # first over what the probes found (only when the repair is checked with the pack's
        # rules: that check is what makes it a repair), then, if that cannot settle it or its
        # repair fails the check, with the pack's rules
        fast = r.optimise_fast(target_terms, max_actions, all_optimal, limit) if verify and r.FAST else None
        if fast is not None and fast[0]:
            models, optimal = fast
        else:  # (no repair over what the probes found: the pack's rules have the last word)
            if not final:
                timings["solve"] = timings.get("solve", 0.0) + time.perf_counter() - began
                return False
            fast = None
            models, optimal = r.optimise(target_terms, was, max_actions, all_optimal, limit)
        timings["solve"] = timings.get("solve", 0.0) + time.perf_counter() - began
        result.optimal = optimal
        result.repairs = [r.as_events(m) for m in models]
        result.verified = None
        if verify and result.repairs:
            began = time.perf_counter()
            result.verified = all(verify_repair(scenario, pack, before, result.targets, rep, timeout, doc,
                                                late=refused) for rep in result.repairs)
            if not result.verified and not final:
                timings["verify"] = timings.get("verify", 0.0) + time.perf_counter() - began
                return False
            if not result.verified and fast is not None:
                r.timeout = timeout
                models, result.optimal = r.optimise(target_terms, was, max_actions, all_optimal, limit)
                result.repairs = [r.as_events(m) for m in models]
                result.verified = bool(models) and all(
                    verify_repair(scenario, pack, before, result.targets, rep, timeout, doc, late=refused)
                    for rep in result.repairs)
            if not result.verified and r.split:
                # the groups' repairs meet each other after all (the pack's rules join events
                # the candidates did not show): solve all the duties as one problem instead
                r.timeout = timeout
                models, result.optimal = r.optimise(target_terms, was, max_actions, all_optimal,
                                                    limit, split=False)
                result.repairs = [r.as_events(m) for m in models]
                result.verified = bool(models) and all(
                    verify_repair(scenario, pack, before, result.targets, rep, timeout, doc, late=refused)
                    for rep in result.repairs)
            timings["verify"] = timings.get("verify", 0.0) + time.perf_counter() - began
        return bool(result.verified) and fast is not None

    pending = explore(list(r.candidates.values()), 0)
    done = solve_and_check(final=pending is None or pending[2] is not None)
    while pending is not None:
        # the last round, probed beside the optimisation: if its candidates open nothing, the
        # optimisation had every candidate; otherwise explore on and optimise again.
        # Left unprobed (lazy), its candidates counted as opening nothing: the cover was then
        # a relaxation (what they open can only add constraints, and the actions for it only
        # serve it), so its optimum is no more than the true one; a repair of that cost that
        # passes the check with the pack's rules is a repair, hence optimal. Only when the
        # check fails is the round probed.
        fresh, rounds, ahead = pending
        start = time.perf_counter()
        if ahead is None and done:
            break
        fresh, opens = step(fresh, ahead() if ahead is not None else r.probe_halves(fresh, fired))
        if not opens:
            timings["probe"] += time.perf_counter() - start
            if ahead is None:   # (the check failed: everything is known now)
                solve_and_check()
            break
        pending = explore(fresh, rounds)
        done = solve_and_check(final=pending is None or pending[2] is not None)
    return result


def repaired_document(path: str | Path, repair_: Repair, doc=None):
    """The scenario's document with the repair's events appended (for checking or saving):
    read from ``path``, or a copy of ``doc`` (as read from it) that shares all but its top
    mapping and its list of events."""
    from checker.io.scenario import read_document

    path = Path(path)
    if doc is None:
        doc = read_document(path, str(path))
    else:
        doc = _copy_node(doc)
        doc["events"] = _copy_node(doc["events"])
    events = doc["events"]
    for event in repair_.events:
        events.append(dict(event))
    return doc


def _copy_node(node):
    """A shallow copy of a mapping or list of a read document, with its lines."""
    copy = type(node)(node)
    for name in ("line", "key_lines", "item_lines"):
        if name in node.__dict__:
            value = node.__dict__[name]
            setattr(copy, name, value.copy() if isinstance(value, (dict, list)) else value)
    return copy


def verify_repair(scenario: Scenario, pack: Pack, before: Verdicts, targets: Sequence[str],
                  repair_: Repair, timeout: float | None = None, doc=None, late=()) -> bool:
    """Check the scenario with the repair added, as an ordinary scenario: every target
    fulfilled (those in ``late``, refused, met late), and no duty breached or late that was
    not before. ``doc``: the scenario's document as read (else it is read again)."""
    from checker.engine.check import check_scenario
    from checker.io.scenario import _load

    doc = repaired_document(scenario.path, repair_, doc)
    # the verdict day of the original run holds (it may have come from --as-of)
    doc["as_of"] = iso(scenario.as_of)
    edited, pack2 = _load(Path(scenario.path), doc, pack.folder.parent, None,
                          dict(scenario.readings), dict(scenario.parameters))
    after = check_scenario(edited, pack2, timeout=timeout)
    was = {o.id for o in before.obligations if o.status in BREACH_STATUSES}
    wanted = set(targets)
    for o in after.obligations:
        if o.id in wanted and o.status != ("late" if o.id in late else "fulfilled"):
            return False
        if o.status in BREACH_STATUSES and o.id not in was:
            return False
    # (a set of the ids: Verdicts.obligation looks one up by walking every duty)
    found = {o.id for o in after.obligations}
    return all(t in found for t in targets)
