"""Python values as clingo terms and back: the engine's one codec, on clingo's Symbol API.

A value is an ``int`` (a number), a ``str`` (a string), a ``Name`` (a constant: a validated
lower-case name) or a ``Term`` (a function with arguments, or a tuple). Values become symbols
through ``clingo.Number``, ``String`` and ``Function``, and symbols become values through
their ``type``, ``name``, ``arguments``, ``string`` and ``number``: no value is ever printed
into program text or read back from it, so a scenario cannot inject rules through here.

clingo is imported on first use: its import is a large part of the command line's start-up.
"""

from __future__ import annotations

from typing import Iterable


class Name(str):
    """A constant (a validated lower-case name), as opposed to a string."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Name({str(self)!r})"


class Term:
    """A compound term: a function ``name(arguments...)``, or a tuple when ``name`` is empty."""

    __slots__ = ("name", "arguments")

    def __init__(self, name: str, arguments: Iterable = ()):
        self.name = name
        self.arguments = tuple(arguments)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Term) and self.name == other.name
                and self.arguments == other.arguments)

    def __hash__(self) -> int:
        return hash((Term, self.name, self.arguments))

    def __repr__(self) -> str:
        return f"Term({self.name!r}, {self.arguments!r})"


def symbol(value):
    """The clingo symbol of a value (see the module's docstring); TypeError for anything else."""
    import clingo

    kind = type(value)
    if kind is int:
        return clingo.Number(value)
    if kind is Name:
        return clingo.Function(value)
    if kind is str:
        return clingo.String(_no_nul(value))
    if kind is Term:
        return clingo.Function(value.name, [symbol(a) for a in value.arguments])
    raise TypeError(f"no clingo term for a {kind.__name__}: {value!r}")


def _no_nul(text: str) -> str:
    """``text``, which must hold no NUL character: clingo's strings end at the first one,
    which would cut the value short without a word."""
    if "\x00" in text:
        raise ValueError(f"a string with a NUL character has no clingo term: {text!r}")
    return text


def value(sym):
    """The Python value of a clingo symbol; ValueError for #inf, #sup and a classically
    negated term, which are no values."""
    from clingo import SymbolType

    kind = sym.type
    if kind == SymbolType.Number:
        return sym.number
    if kind == SymbolType.String:
        return sym.string
    if kind == SymbolType.Function and sym.positive:
        args = sym.arguments
        if not args and sym.name:
            return Name(sym.name)
        return Term(sym.name, [value(a) for a in args])
    raise ValueError(f"the term {sym} has no Python value")


def text(sym) -> str:
    """A symbol as the plain text of a report: a string's value, anything else as clingo
    prints it (a constant's name, a number's digits)."""
    from clingo import SymbolType

    return sym.string if sym.type == SymbolType.String else str(sym)


class Encoder:
    """``symbol``, remembering the symbol of each value it made: a scenario names the same
    parties, fields and days again and again, and a symbol costs a call into clingo."""

    def __init__(self):
        import clingo

        self._number, self._string, self._function = clingo.Number, clingo.String, clingo.Function
        self._strings: dict = {}
        self._constants: dict = {}
        self._numbers: dict = {}

    def __call__(self, value):
        kind = type(value)
        if kind is str:
            return self.string(value)
        if kind is Name:
            return self.name(value)
        if kind is int:
            return self.number(value)
        return symbol(value)

    def atom(self, name: str, args: Iterable):
        """The symbol of the atom ``name(args...)``."""
        return self._function(name, [self(a) for a in args])

    def tuple(self, args: Iterable):
        """The symbol of the tuple ``(args...)``."""
        return self._function("", [self(a) for a in args])

    def tuple_of_symbols(self, symbols: list):
        """The symbol of the tuple of ``symbols``."""
        return self._function("", symbols)

    def string(self, text: str):
        """The symbol of the string ``text``."""
        made = self._strings.get(text)
        if made is None:
            made = self._strings[text] = self._string(_no_nul(text))
        return made

    def name(self, text: str):
        """The symbol of the constant ``text``."""
        made = self._constants.get(text)
        if made is None:
            made = self._constants[text] = self._function(text)
        return made

    def number(self, n: int):
        """The symbol of the number ``n``."""
        made = self._numbers.get(n)
        if made is None:
            made = self._numbers[n] = self._number(n)
        return made


class Decoder(dict):
    """``read`` (by default ``value``) of each symbol looked up as ``decoder[symbol]``,
    remembered: a verdict names the same provisions, parties and days again and again, and
    reading a symbol costs calls into clingo."""

    def __init__(self, read=value):
        super().__init__()
        self.read = read

    def __missing__(self, sym):
        got = self[sym] = self.read(sym)
        return got
