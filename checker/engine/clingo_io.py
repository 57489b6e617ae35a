"""Many facts into clingo, many atoms out of it: the bulk transfers of a check.

clingo's Python API wraps each C call (argument arrays, error checks, a ``Symbol`` object
per value). At 100 000 events a check adds 550 000 facts and reads back 800 000 atoms; the
wrappers alone cost seconds there. The functions below call the same C functions through
the cffi module the binding is built on, reusing their buffers and caching the symbols of
repeated values; when that module is not there (another build of clingo), they do the same
work through the public API. Both paths give the same program and the same atoms
(tests/test_clingo_io.py).

Values reach clingo only as symbols (``clingo_symbol_create_string`` and friends), never as
program text: a scenario cannot inject rules through here.
"""

from __future__ import annotations

import os
from array import array
from typing import Iterable

# the binding's own cffi module (private, hence the fallback), imported on first use: clingo's
# import is most of the CLI's start-up time
_ffi = _lib = None
_LOADED = False


def _fast() -> bool:
    """True when the cffi module is there and the public API is not asked for (set
    TREATY_CHECKER_PUBLIC_API=1, as the tests do, to take the public API)."""
    global _ffi, _lib, _LOADED
    if not _LOADED:
        try:
            from clingo._internal import _ffi, _lib
        except ImportError:  # pragma: no cover - every build of clingo 5.5-5.8 has it
            _ffi = _lib = None
        _LOADED = True
    return _lib is not None and os.environ.get("TREATY_CHECKER_PUBLIC_API") != "1"


class Name(str):
    """A constant (a validated lower-case name), as opposed to a string, in a fact tuple."""

    __slots__ = ()


# --- facts in ---------------------------------------------------------------------------------

def add_facts(ctl, facts: Iterable[tuple]) -> None:
    """Add each ``(predicate, arg, ...)`` of ``facts`` to ``ctl`` as a fact, through the
    backend. An argument is a ``str`` (a clingo string), a ``Name`` (a constant) or an ``int``."""
    with ctl.backend() as backend:
        rep = getattr(backend, "_rep", None)
        if _fast() and rep is not None:
            _add_facts_fast(rep, facts)
        else:
            _add_facts_public(backend, facts)


def _add_facts_public(backend, facts) -> None:
    import clingo

    Function, Number, String = clingo.Function, clingo.Number, clingo.String
    cache: dict = {}

    def term(value):
        sym = cache.get((type(value), value))
        if sym is None:
            if type(value) is int:
                sym = Number(value)
            elif type(value) is Name:
                sym = Function(value)
            else:
                sym = String(value)
            if type(value) is not str:  # strings are mostly event ids, seen a few times each
                cache[(type(value), value)] = sym
        return sym

    add_atom, add_rule = backend.add_atom, backend.add_rule
    for name, *args in facts:
        add_rule([add_atom(Function(name, [term(a) for a in args]))])


def _add_facts_fast(rep, facts) -> None:
    ffi, lib = _ffi, _lib
    sym = ffi.new("clingo_symbol_t*")
    atom = ffi.new("clingo_atom_t*")
    argv = ffi.new("clingo_symbol_t[16]")
    null = ffi.NULL
    create_function, create_id = lib.clingo_symbol_create_function, lib.clingo_symbol_create_id
    create_string, create_number = lib.clingo_symbol_create_string, lib.clingo_symbol_create_number
    add_atom, rule = lib.clingo_backend_add_atom, lib.clingo_backend_rule
    names: dict[str, bytes] = {}
    constants: dict[str, int] = {}
    last_text = last_sym = None  # an event's id comes in several facts in a row

    for fact in facts:
        name = names.get(fact[0])
        if name is None:
            name = names[fact[0]] = fact[0].encode()
        n = len(fact) - 1
        if n > 16:
            raise ValueError(f"a fact of {n} arguments: at most 16")
        for i in range(n):
            value = fact[i + 1]
            kind = type(value)
            if kind is str:
                if value is not last_text and value != last_text:
                    if not create_string(value.encode(), sym):
                        _raise()
                    last_text, last_sym = value, sym[0]
                argv[i] = last_sym
            elif kind is int:
                create_number(value, sym)
                argv[i] = sym[0]
            elif kind is Name:
                raw = constants.get(value)
                if raw is None:
                    if not create_id(value.encode(), True, sym):
                        _raise()
                    raw = constants[value] = sym[0]
                argv[i] = raw
            else:
                raise TypeError(f"a fact argument must be str, Name or int, not {kind.__name__}")
        if not create_function(name, argv, n, True, sym):
            _raise()
        if not add_atom(rep, sym, atom) or not rule(rep, False, atom, 1, null, 0):
            _raise()


def _raise():
    message = _ffi.string(_lib.clingo_error_message()).decode()
    if _lib.clingo_error_code() == _lib.clingo_error_bad_alloc:
        raise MemoryError(message)
    raise RuntimeError(message)


# --- atoms out --------------------------------------------------------------------------------

class Atoms:
    """The atoms of one signature: their text, printed as one tuple ``(a,b,...)`` in one
    call into clingo, their number, and (on demand) the atoms as ``clingo.Symbol``."""

    def __init__(self, text: str, count: int, symbols):
        self.text = text
        self.count = count
        self._symbols = symbols

    def symbols(self) -> list:
        """The atoms as public ``clingo.Symbol`` objects (slow: for atoms the text cannot say)."""
        if callable(self._symbols):
            self._symbols = self._symbols()
        return self._symbols


def atoms_of(symbols: Iterable, signatures: Iterable[tuple[str, int]]) -> list[Atoms]:
    """``symbols`` sorted by signature: one Atoms per signature of ``signatures``, in order."""
    from clingo import SymbolType, Tuple_

    groups: dict[tuple[str, int], list] = {sig: [] for sig in signatures}
    for sym in symbols:
        if sym.type != SymbolType.Function:
            continue
        group = groups.get((sym.name, len(sym.arguments)))
        if group is not None:
            group.append(sym)
    return [Atoms(str(Tuple_(group)) if group else "()", len(group), group) for group in groups.values()]


def read_facts(ctl, signatures: Iterable[tuple[str, int]]) -> list[Atoms] | None:
    """The atoms of each of ``signatures`` in ``ctl``'s grounding (one Atoms each, in order),
    or None if one of them is not a fact (then only a model can say whether it holds: the
    caller solves for it)."""
    atoms = ctl.symbolic_atoms
    rep = getattr(atoms, "_rep", None)
    fast = _fast() and rep is not None
    out = []
    for name, arity in signatures:
        found = _read_fast(rep, name, arity) if fast else _read_public(atoms, name, arity)
        if found is None:
            return None
        out.append(found)
    return out


def _read_public(atoms, name: str, arity: int) -> Atoms | None:
    from clingo import Tuple_

    found = []
    for atom in atoms.by_signature(name, arity):
        if not atom.is_fact:
            return None
        found.append(atom.symbol)
    return Atoms(str(Tuple_(found)) if found else "()", len(found), found)


def _read_fast(rep, name: str, arity: int) -> Atoms | None:
    ffi, lib = _ffi, _lib
    it = ffi.new("clingo_symbolic_atom_iterator_t*")
    end = ffi.new("clingo_symbolic_atom_iterator_t*")
    flag = ffi.new("bool*")
    sym = ffi.new("clingo_symbol_t*")
    sig = ffi.new("clingo_signature_t*")
    size = ffi.new("size_t*")
    if not (lib.clingo_signature_create(name.encode(), arity, True, sig)
            and lib.clingo_symbolic_atoms_begin(rep, sig, it) and lib.clingo_symbolic_atoms_end(rep, end)
            and lib.clingo_symbolic_atoms_size(rep, size)):
        _raise()
    symbol, is_fact, next_ = (lib.clingo_symbolic_atoms_symbol, lib.clingo_symbolic_atoms_is_fact,
                              lib.clingo_symbolic_atoms_next)
    found = array("Q")  # the symbols' 64-bit handles, no Python object each
    append = found.append
    # the iterator of one signature steps onto the end of all atoms after its last atom; the
    # bound (every atom once) guards that reading of clingo's iterators
    cur, stop, bound = it[0], end[0], size[0]
    while cur != stop:
        if not is_fact(rep, cur, flag) or not symbol(rep, cur, sym):
            _raise()
        if not flag[0]:
            return None
        append(sym[0])
        if not next_(rep, cur, it):
            _raise()
        if len(found) > bound:
            raise RuntimeError("clingo's symbolic atom iterator did not end: "
                               "TREATY_CHECKER_PUBLIC_API=1 reads through the public API")
        cur = it[0]
    if not found:
        return Atoms("()", 0, [])
    raw = ffi.from_buffer("clingo_symbol_t[]", found)
    if not (lib.clingo_symbol_create_function(b"", raw, len(found), True, sym)
            and lib.clingo_symbol_to_string_size(sym[0], size)):
        _raise()
    buffer = ffi.new("char[]", size[0])
    if not lib.clingo_symbol_to_string(sym[0], buffer, size[0]):
        _raise()
    text = str(ffi.buffer(buffer, size[0] - 1), "utf-8")
    del buffer

    def symbols():
        from clingo import Symbol

        return [Symbol(r) for r in found]

    return Atoms(text, len(found), symbols)

