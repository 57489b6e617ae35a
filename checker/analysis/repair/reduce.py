"""The days worth trying: out of every day of every repair window, the candidate actions an
optimal repair can use (most days of a window cannot be the day of an optimal action).

The rules' windows give the days on which an action meets a duty; the probes tell which
actions open duties of their own and whether those need an action. From these alone, and
before any optimisation, ``reduce`` keeps the days an optimal repair may fall on.
"""

from __future__ import annotations

import bisect

from checker.analysis.repair.candidates import Candidates


def reduce(cands: Candidates, targets, every_day: bool = False) -> None:
    """The candidates an optimal repair can use (``cands.kept``), out of every day of
    every window, and the duties they must meet or open (``cands.needed``).

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
    events opened together, keeps every day. ``every_day`` switches the reduction off
    (the tests compare both on every bundled scenario and on random histories)."""
    # everything by number (lists indexed by candidate, rather than dicts keyed by its term)
    actions = list(cands.by_key.values())
    index = {c.key: i for i, c in enumerate(actions)}
    duty_no: dict = {}

    def dno(duty):
        n = duty_no.get(duty)
        if n is None:
            n = duty_no[duty] = len(duty_no)
        return n

    serving = {dno(d): [index[k] for k in keys] for d, keys in cands.serving.items()}
    windows = {dno(d): w for d, w in cands.windows.items()}
    opens = {index[k]: [dno(d) for d in ds] for k, ds in cands.opens.items() if ds}
    free = [cands.free.get(c.key, True) for c in actions]
    cls_no: dict = {}
    # (the candidates of a class share one cls tuple: see Candidates.add)
    cls = [cls_no.setdefault(id(c.cls), len(cls_no)) for c in actions]
    day = [c.day for c in actions]
    every = every_day or cands.unattributed
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
    cands.kept = {actions[i].key for i in kept}
    cands.needed = {duties[d] for d in needed}
    cands.openers = {}
    for i in kept:
        for o in opens.get(i, ()):
            cands.openers.setdefault(duties[o], []).append(actions[i].key)
