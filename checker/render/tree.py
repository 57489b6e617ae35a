"""An explanation (the JSON tree of checker.analysis.explain) drawn as a Unicode tree."""

from __future__ import annotations

from checker.render.style import visible


def render_tree(node: dict, colour=None, depth: int | None = None) -> str:
    """A JSON explanation node as a Unicode tree."""
    paint = colour or (lambda text, *styles: text)
    lines: list[str] = []

    def label(n: dict) -> str:
        kind = n["because"]
        tag = {"fact": paint("fact", "cyan"), "rule": paint("rule", "blue"), "absence": paint("absence", "yellow")}[kind]
        where = visible(n.get("source") or n.get("rule") or "")
        prov = f" [{visible(n['provision'])}]" if n.get("provision") else ""
        return f"{visible(n['claim'])}  {paint('(' + tag + (' ' + where if where else '') + prov + ')', 'dim')}"

    def walk(n: dict, prefix: str, last: bool, level: int, root: bool) -> None:
        branch = "" if root else ("└── " if last else "├── ")
        lines.append(prefix + branch + label(n))
        child_prefix = prefix + ("" if root else ("    " if last else "│   "))
        if n.get("text") and root:
            lines.append(child_prefix + paint(f"  “{visible(n['text'])}”", "dim"))
        items = []
        for c in n.get("considered", []):
            where = f" ({c['source']})" if c.get("source") else ""
            items.append(("considered", visible(f"{c['event']}{where}: {c['why_not']}" if c["event"] else c["why_not"])))
        if n.get("note"):
            items.append(("note", visible(n["note"])))
        kids = n.get("children", []) if depth is None or level < depth else []
        total = len(items) + len(kids)
        for k, (_, text) in enumerate(items):
            is_last = k == total - 1
            lines.append(child_prefix + ("└── " if is_last else "├── ") + paint("✗ ", "red") + text)
        for k, child in enumerate(kids):
            walk(child, child_prefix, len(items) + k == total - 1, level + 1, False)

    walk(node, "", True, 0, True)
    return "\n".join(lines)


def derivation_lines(case) -> list[str]:
    """Why a failing test case's actual verdict holds, as lines: its explanation tree drawn
    without colour, or the summary the runner gave where there is no tree."""
    if case.tree is not None:
        return render_tree(case.tree).splitlines()
    return [visible(line) for line in case.derivation]
