"""Realistic synthetic histories for the istanbul-2022 pack, of any size, from a seed.

A history opens with the treaty being signed and entering into force, then runs as a war's
event log does: episode after episode of an attack (mostly in the regions the guarantee
covers, some only in the excluded ones, a few incidents), Ukraine's appeal, the guarantors'
consultations (mostly `about` the attack), their assistance (with and without `about`),
their reports to the Security Council, the occasional finding, refusal, Security Council
measures, foreign troops sent as help, and exercises with (mostly) the guarantors' consent.
Most duties are met, some late, some missed: every status and every not-fired reason occurs.

The vocabulary (party lists, regions, event types, field names, enum values) is read from
the pack's manifest, rules/istanbul-2022/treaty.yaml, and every generated event is checked
against it, so a change of the manifest breaks the generator loudly instead of silently.

    python benchmarks/generate.py --events 10000 --out /tmp/bench        # YAML and JSON
    python benchmarks/generate.py --corpus 1000 --out /tmp/corpus        # many small files
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = "istanbul-2022"


def _manifest():
    sys.path.insert(0, str(ROOT))
    from checker.io.pack import load_pack

    return load_pack(PACK, ROOT / "rules")


class _Vocabulary:
    """What the manifest allows, in the shape the generator needs."""

    def __init__(self, pack):
        self.pack = pack
        self.guarantors = list(pack.lists["guarantors"])
        self.state = list(pack.fixed_roles["state"])[0]
        self.excluded = list(pack.excluded_regions)
        self.in_scope = [r for r in pack.regions if r not in self.excluded]
        types = pack.event_types
        self.attack_kinds = list(types["attack"].fields["kind"].values)
        # the means this treaty names (the shared assistance type has other treaties' too)
        self.means = list(types["appeal"].fields["requests"].values)

    def check(self, event: dict) -> None:
        """Refuse an event whose type or fields the manifest does not declare."""
        spec = self.pack.event_types.get(event["type"])
        if spec is None:
            raise ValueError(f"generator: {event['type']!r} is not an event type of {PACK}")
        for key in event:
            if key not in ("id", "date", "type") and key not in spec.fields:
                raise ValueError(f"generator: {key!r} is not a field of {event['type']}")
        for name, f in spec.fields.items():
            if f.required and name not in event:
                raise ValueError(f"generator: {event['type']} needs {name!r}")
            if name in event and f.type == "enum":
                values = event[name] if f.is_list else [event[name]]
                bad = [v for v in values if v not in f.values]
                if bad:
                    raise ValueError(f"generator: {bad} not in {event['type']}.{name}")


class _History:
    def __init__(self, vocab: _Vocabulary, rng: random.Random, start: dt.date):
        self.v, self.rng, self.start = vocab, rng, start
        self.events: list[dict] = []
        self.count: dict[str, int] = {}

    def add(self, etype: str, day: int, **fields) -> str:
        n = self.count.get(etype, 0) + 1
        self.count[etype] = n
        eid = f"{etype.replace('_', '-')}-{n}"
        event = {"id": eid, "date": (self.start + dt.timedelta(days=day)).isoformat(), "type": etype}
        event.update(fields)
        self.v.check(event)
        self.events.append(event)
        return eid


def _treaty_comes_into_force(h: _History) -> int:
    """Signatures, then referendum, amendment and ratifications; returns the next free day."""
    v, rng = h.v, h.rng
    h.add("signature", 0, party=v.state)
    signers = v.guarantors[:]
    rng.shuffle(signers)
    for i, g in enumerate(signers[: len(signers) - 2]):  # a couple never sign
        h.add("signature", 1 + i // 3, party=g)
    h.add("referendum", 30, result="approved")
    h.add("constitutional_amendment", 60)
    h.add("ratification", 75, party=v.state)
    for i, g in enumerate(signers[: len(signers) - 3]):
        h.add("ratification", 76 + i, party=g)
    return 120


def _attack_episode(h: _History, day: int) -> None:
    v, rng = h.v, h.rng
    roll = rng.random()
    if roll < 0.04:
        kind = "incident"
    else:
        kind = rng.choice([k for k in v.attack_kinds if k != "incident"])
    by = rng.choices(["russia", "unknown", rng.choice(v.guarantors)], weights=[80, 15, 5])[0]
    if rng.random() < 0.1:  # only where the guarantee does not reach
        regions = rng.sample(v.excluded, rng.randint(1, 2))
    else:
        regions = rng.sample(v.in_scope, rng.randint(1, 3))
        if rng.random() < 0.15:
            regions.append(rng.choice(v.excluded))
    attack = h.add("attack", day, kind=kind, by=by, regions=regions)
    if kind == "incident":
        return

    # Ukraine appeals, almost always about this attack, sometimes naming the help it wants
    if rng.random() < 0.9:
        fields = {"about": attack} if rng.random() < 0.9 else {}
        if rng.random() < 0.3:
            fields["requests"] = rng.sample(v.means, rng.randint(1, 2))
        h.add("appeal", day + rng.choice([0, 0, 1, 2, 5]), **fields)

    # consultations: usually one within three days with (nearly) every guarantor
    for _ in range(rng.choice([1, 1, 1, 2])):
        parties = [p for p in [v.state] + v.guarantors if rng.random() < 0.93 or p == v.state]
        fields = {"parties": parties}
        if rng.random() < 0.9:
            fields["about"] = attack
        h.add("consultation", day + rng.choice([0, 1, 2, 3, 3, 4, 6]), **fields)

    if rng.random() < 0.03:
        h.add("finding", day + rng.randint(1, 5), about=attack, result="provocation")
    elif rng.random() < 0.1:
        h.add("finding", day + rng.randint(1, 5), about=attack, result="aggression")

    # assistance by several guarantors, each (mostly) reported to the Security Council
    for g in rng.sample(v.guarantors, rng.randint(2, 6)):
        when = day + rng.choice([1, 2, 3, 4, 5, 6, 9])
        fields = {"by": g, "means": rng.choice(v.means)}
        if rng.random() < 0.8:
            fields["about"] = attack
        h.add("assistance", when, **fields)
        if rng.random() < 0.9:
            report = {"by": g}
            if rng.random() < 0.7:
                report["about"] = attack
            h.add("unsc_report", when + rng.choice([0, 0, 1, 1, 1, 3]), **report)
    if rng.random() < 0.05:
        g = rng.choice(v.guarantors)
        h.add("refusal", day + 2, by=g, means=rng.choice(v.means), about=attack)
    if rng.random() < 0.04:
        h.add("foreign_troops", day + 3, by=rng.choice(v.guarantors), purpose="assistance", about=attack)
    if rng.random() < 0.03:
        fields = {"about": attack} if rng.random() < 0.7 else {}
        h.add("unsc_measures", day + rng.randint(0, 6), **fields)


def _exercise_episode(h: _History, day: int) -> None:
    v, rng = h.v, h.rng
    participants = [v.state] + rng.sample(v.guarantors, rng.randint(1, 3))
    exercise_day = day + rng.randint(5, 20)
    exercise = h.add("military_exercise", exercise_day, participants=participants)
    for g in v.guarantors:
        if rng.random() < 0.97:  # now and then a guarantor's consent is missing
            h.add("consent", day + rng.randint(0, 4), by=g, about=exercise)


def generate(events: int, seed: int = 1, start: str = "2027-01-01", treaty_events: bool = True) -> dict:
    """A scenario document (plain dicts and lists) with about ``events`` events.

    Without ``treaty_events`` the history has no signatures or ratifications and says
    ``in_force_from`` instead (a short hypothetical, as a corpus holds them).
    """
    vocab = _Vocabulary(_manifest())
    rng = random.Random(seed)
    h = _History(vocab, rng, dt.date.fromisoformat(start))
    day = _treaty_comes_into_force(h) if treaty_events else 0
    while len(h.events) < events:
        if rng.random() < 0.06:
            _exercise_episode(h, day)
        else:
            _attack_episode(h, day)
        day += rng.choice([0, 1, 1, 1, 2, 3])
    del h.events[events:]
    # a log keeps its events in date order; ties keep the order they were written in
    h.events.sort(key=lambda e: e["date"])
    _drop_dangling(h.events)
    last = max(e["date"] for e in h.events)
    doc = {
        "scenario": f"Synthetic war history, {len(h.events)} events (seed {seed})",
        "description": "Generated by benchmarks/generate.py: attacks, appeals, consultations, "
                       "assistance, reports, findings, exercises and consents.",
        "treaty": PACK,
        "as_of": (dt.date.fromisoformat(last) + dt.timedelta(days=2)).isoformat(),
    }
    if not treaty_events:
        doc["in_force_from"] = start
    doc["events"] = h.events
    return doc


def _drop_dangling(events: list[dict]) -> None:
    """Cutting the log at a size can orphan a reference: drop such events."""
    ids = {e["id"] for e in events}
    events[:] = [e for e in events if e.get("about") is None or e["about"] in ids]


def _yaml_scalar(value) -> str:
    # every value the generator makes is a plain word, id or date: safe unquoted in YAML
    return str(value)


def to_yaml(doc: dict) -> str:
    """The scenario as block-style YAML (the way a person or a script writes a history)."""
    out = []
    for key in ("scenario", "description", "treaty", "as_of", "in_force_from"):
        if key in doc:
            text = doc[key]
            out.append(f"{key}: {json.dumps(text) if ':' in text or '#' in text else text}")
    out.append("events:")
    for event in doc["events"]:
        first = True
        for key, value in event.items():
            lead = "  - " if first else "    "
            first = False
            if isinstance(value, list):
                out.append(f"{lead}{key}: [{', '.join(_yaml_scalar(v) for v in value)}]")
            else:
                out.append(f"{lead}{key}: {_yaml_scalar(value)}")
    if "expect" in doc:
        out.append("expect:")
        for item in doc["expect"]:
            out.append("  - " + "\n    ".join(f"{k}: {v}" for k, v in item.items()))
    return "\n".join(out) + "\n"


def to_json(doc: dict) -> str:
    """The same scenario as JSON (how a machine-made history arrives)."""
    return json.dumps(doc, indent=1)


def write(doc: dict, stem: Path, formats=("yaml", "json")) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    if "yaml" in formats:
        path = stem.with_suffix(".yaml")
        path.write_text(to_yaml(doc), encoding="utf-8")
        written.append(path)
    if "json" in formats:
        path = stem.with_suffix(".json")
        path.write_text(to_json(doc), encoding="utf-8")
        written.append(path)
    return written


def write_corpus(folder: Path, count: int, seed: int = 1, events=(20, 80)) -> list[Path]:
    """``count`` small YAML scenarios, each its own history, for timing a corpus run."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        doc = generate(rng.randint(*events), seed=seed * 100_003 + i, treaty_events=False)
        # `checker test` runs only files with expectations; no history here holds nuclear weapons
        doc["expect"] = [{"obligation": "art1.non_nuclear/ukraine", "status": "complied"}]
        paths += write(doc, folder / f"scenario-{i:04d}", formats=("yaml",))
    return paths


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="events in the history")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("."), help="folder to write into")
    parser.add_argument("--format", choices=("yaml", "json", "both"), default="both")
    parser.add_argument("--corpus", type=int, default=0,
                        help="write this many small scenarios instead of one history")
    args = parser.parse_args(argv)
    if args.corpus:
        paths = write_corpus(args.out, args.corpus, args.seed)
        print(f"{len(paths)} scenarios in {args.out}")
        return
    formats = ("yaml", "json") if args.format == "both" else (args.format,)
    doc = generate(args.events, args.seed)
    for path in write(doc, args.out / f"history-{args.events}", formats):
        print(path)


if __name__ == "__main__":
    main()
