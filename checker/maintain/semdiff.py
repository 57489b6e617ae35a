"""The semantic diff of a rule change: which verdicts of the scenario corpus it flips.

The same scenario files are checked under the rules (and pack manifests) of two revisions,
or under two packs (a treaty and a version of it: the scenarios that name the first are
checked under the second too), or both. A revision's ``rules/`` folder is materialised with
``git archive`` into a temporary folder; the working tree is used as it is. Every verdict
that differs is one ``Change``: a duty that appeared or disappeared, a status that changed
(fired <-> not fired included), a deadline that moved, a different set of blocking
provisions. Verdicts are matched by obligation id, so a version that keeps its parent's
provision ids lines up with it duty by duty.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from checker.errors import UsageError
from checker.maintain.testing import RunResult, run_corpus
from checker.model import Verdicts, iso

WORKING_TREE = "working tree"
KINDS = ("appeared", "disappeared", "status", "deadline", "blocked")


@dataclass(frozen=True)
class Change:
    """One verdict of one scenario that differs between the two revisions."""

    file: str
    provision: str
    obligation: str
    kind: str            # one of KINDS
    before: str | None   # the verdict under base, as a reader says it (None: no such duty)
    after: str | None
    days_moved: int | None = None  # for a duty that fired under both: how far its deadline moved

    @property
    def flip(self) -> bool:
        """A change of verdict (a deadline that moved under an unchanged status is not one)."""
        return self.kind != "deadline"


@dataclass
class DiffResult:
    base: str
    head: str
    files: int = 0
    base_pack: str | None = None   # with head_pack: the two packs compared (None: each file's own)
    head_pack: str | None = None
    changes: list[Change] = field(default_factory=list)
    # scenarios that could not be compared: a side rejected them (e.g. a pack new in head)
    incomparable: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    # scenarios rejected under both revisions: bad input, not a rule change
    rejected: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    seconds: float = 0.0

    def by_provision(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for c in sorted(self.changes, key=lambda c: (c.provision, c.file, c.obligation)):
            out.setdefault(c.provision, []).append(c)
        return out

    @property
    def base_label(self) -> str:
        """The 'before' side as a reader names it: the revision, and the pack when one is given."""
        return self.base if self.base_pack is None else f"{self.base_pack} ({self.base})"

    @property
    def head_label(self) -> str:
        return self.head if self.head_pack is None else f"{self.head_pack} ({self.head})"

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.incomparable)

    @property
    def flips(self) -> list[Change]:
        return [c for c in self.changes if c.flip]

    @property
    def moves(self) -> list[Change]:
        return [c for c in self.changes if not c.flip]


# --- the verdicts of one scenario, in a form to compare ----------------------------------------

@dataclass(frozen=True)
class _Fired:
    status: str
    deadline: int | None
    certainty: str

    def say(self, with_deadline: bool = False) -> str:
        text = self.status if self.certainty == "certain" else f"{self.status} ({self.certainty})"
        if with_deadline:
            text += f", due {iso(self.deadline)}" if self.deadline is not None else ", no deadline"
        return text


@dataclass(frozen=True)
class _Blocked:
    reasons: tuple[str, ...]

    def say(self, with_deadline: bool = False) -> str:
        return "not fired (" + ", ".join(self.reasons) + ")"


def _state(v: Verdicts) -> dict[str, tuple[str, object]]:
    out: dict[str, tuple[str, object]] = {}
    for o in v.obligations:
        status = "|".join(o.statuses) if o.certainty != "certain" else o.status
        out[o.id] = (o.provision, _Fired(status, o.deadline, o.certainty))
    for n in v.not_fired:
        out[n.id] = (n.provision, _Blocked(tuple(n.blocked_by)))
    return out


def compare(file: str, base: Verdicts, head: Verdicts) -> list[Change]:
    """Every verdict of one scenario that differs between ``base`` and ``head``."""
    before, after = _state(base), _state(head)
    changes = []
    for ob_id in sorted(set(before) | set(after)):
        provision = (after.get(ob_id) or before[ob_id])[0]
        b, a = before.get(ob_id, (None, None))[1], after.get(ob_id, (None, None))[1]
        if b == a:
            continue
        if b is None:
            changes.append(Change(file, provision, ob_id, "appeared", None, a.say(True)))  # type: ignore[union-attr]
        elif a is None:
            changes.append(Change(file, provision, ob_id, "disappeared", b.say(True), None))  # type: ignore[union-attr]
        elif isinstance(b, _Fired) and isinstance(a, _Fired):
            moved = b.deadline != a.deadline
            shift = a.deadline - b.deadline if moved and None not in (a.deadline, b.deadline) else None
            kind = "status" if (b.status, b.certainty) != (a.status, a.certainty) else "deadline"
            changes.append(Change(file, provision, ob_id, kind, b.say(moved or kind == "deadline"),
                                  a.say(moved or kind == "deadline"), shift))
        elif isinstance(b, _Blocked) and isinstance(a, _Blocked):
            changes.append(Change(file, provision, ob_id, "blocked", b.say(), a.say()))
        else:
            changes.append(Change(file, provision, ob_id, "status", b.say(), a.say()))  # type: ignore[union-attr]
    return changes


# --- revisions ---------------------------------------------------------------------------------

def _git(repo: Path, *args: str, binary: bool = False):
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("diff: git is not installed (it is needed to read other revisions)") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]}: " + (message[-1] if message else f"exit {proc.returncode}"))
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace").strip()


def repo_root(near: Path) -> Path:
    """The top folder of the git work tree that holds ``near``."""
    try:
        return Path(_git(near, "rev-parse", "--show-toplevel"))
    except UsageError:
        raise UsageError(f"diff: {near.resolve()} is not inside a git repository") from None


def materialise(repo: Path, rev: str, rules_rel: str, dest: Path) -> Path:
    """Write the ``rules_rel`` folder as it is at ``rev`` under ``dest``; return its path there."""
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except UsageError:
        raise UsageError(f"--base/--head: {rev!r} is not a revision of {repo}") from None
    try:
        data = _git(repo, "archive", "--format=tar", rev, "--", rules_rel, binary=True)
    except UsageError:
        raise UsageError(f"--base/--head: revision {rev!r} has no folder {rules_rel}/") from None
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")  # "data": no links out of dest, no devices
    return dest / rules_rel


def semantic_diff(files: Sequence[Path], *, base: str | None = "HEAD", head: str | None = None,
                  rules: Path | None = None, jobs: int | None = None,
                  progress: Callable[[int, int, object], None] | None = None,
                  timeout: float | None = None, base_pack: str | None = None,
                  head_pack: str | None = None) -> DiffResult:
    """Check ``files`` under the rules at ``base`` and at ``head`` (None: the working tree);
    with ``base_pack`` and ``head_pack``, only the files that name ``base_pack``, under that
    pack on the base side and under ``head_pack`` on the head side."""
    import time

    if (base_pack is None) != (head_pack is None):
        raise UsageError("--base-pack and --head-pack go together: the pack whose scenarios are compared, "
                         "and the pack they are checked under too")
    start = time.perf_counter()
    rules = (rules or Path("rules")).resolve()
    if not rules.is_dir():
        raise UsageError(f"--rules: {rules} is not a folder")
    with tempfile.TemporaryDirectory(prefix="checker-diff-") as tmp:
        roots = []
        for rev, side in ((base, "base"), (head, "head")):
            if rev is None:
                roots.append(rules)
                continue
            repo = repo_root(rules)
            rules_rel = rules.relative_to(repo.resolve()).as_posix()
            roots.append(materialise(repo, rev, rules_rel, Path(tmp) / side))
        base_root, head_root = roots
        if base_pack is not None:
            _known(base_pack, base_root, "--base-pack")
            _known(head_pack, head_root, "--head-pack")
        total = 2 * len(files)

        def half(offset: int):
            return None if progress is None else (lambda done, _n, r: progress(offset + done, total, r))

        sides = ((base_pack, base_pack), (base_pack, head_pack)) if base_pack is not None else (None, None)
        before = run_corpus(files, rules_root=base_root, jobs=jobs, only_with_expect=False,
                            progress=half(0), timeout=timeout, retarget=sides[0])
        after = run_corpus(files, rules_root=head_root, jobs=jobs, only_with_expect=False,
                           progress=half(len(files)), timeout=timeout, retarget=sides[1])
    if base_pack is not None and not before.files:
        raise UsageError(f"--base-pack: none of the {len(files)} scenario file(s) given names the treaty {base_pack}")
    result = DiffResult(base=base or WORKING_TREE, head=head or WORKING_TREE, files=len(before.files),
                        base_pack=base_pack, head_pack=head_pack)
    _pair(result, before, after)
    result.seconds = time.perf_counter() - start
    return result


def _known(pack: str, rules_root: Path, option: str) -> None:
    """UsageError naming ``option`` unless ``rules_root`` holds a pack ``pack`` that loads."""
    from checker.errors import PackError
    from checker.io.pack import load_pack

    try:
        load_pack(pack, rules_root)
    except PackError as exc:
        if exc.problems:  # the pack is there but broken: its own lines say why
            raise
        raise UsageError(f"{option}: " + exc.text.split(": ", 1)[-1]) from None


def _pair(result: DiffResult, before: RunResult, after: RunResult) -> None:
    for b, a in zip(before.files, after.files):
        if b.rejected and a.rejected:
            result.rejected.append((a.file, a.problems))
        elif b.rejected:
            result.incomparable.append((a.file, "base", b.problems))
        elif a.rejected:
            result.incomparable.append((a.file, "head", a.problems))
        else:
            result.changes.extend(compare(a.file, b.verdicts, a.verdicts))  # type: ignore[arg-type]


# --- rendering (strings; the CLI prints them) ---------------------------------------------------


