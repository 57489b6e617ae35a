"""`checker schema`: the JSON Schema of scenario files, for editors that validate as you type."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from checker.cli.app import app, as_folder, as_path, fail
from checker.errors import CheckerError, UsageError


@app.command("schema")
def schema_command(
    packs: List[str] = typer.Argument(None, metavar="[PACK]...",
                                      help="Packs whose scenarios the schema describes, by name "
                                           "(default: every pack of the rules folder)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE|FOLDER", parser=as_path,
                                          help="Write the schema to FILE (atomically; an existing file only "
                                               "with --force), or, given an existing FOLDER, one schema per "
                                               "pack (PACK.schema.json) and one for them all (all.schema.json) "
                                               "there, replacing those files. Default: standard output."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
    rules: Optional[Path] = typer.Option(None, "--rules", metavar="FOLDER", parser=as_folder,
                                         help="Folder of rule packs (default: ./rules, then the one shipped "
                                              "with the checker)."),
) -> None:
    """Write the JSON Schema (draft 2020-12) of scenario files, made from the pack manifests:
    event types and their fields, party and region names, readings, parameters, uncertain
    values and expect: items, with the manifests' descriptions for an editor to show on
    hover. Several packs make one schema whose `treaty:` picks the pack, or the packs of a
    history under several treaties (`treaty: [A, B]`: the events may use the vocabulary of any).

    Point an editor at it (docs/editors.md): a first line
    `# yaml-language-server: $schema=PATH` in a scenario, or `yaml.schemas` in VS Code.

    Exit codes: 0 written, 1 never (a schema has no verdict), 2 an unknown or broken pack,
    or a file that cannot be written.

    \b
    Examples:
      checker schema TREATY > treaty.schema.json
      checker schema -o docs/schema/scenario/       # one per pack, and all.schema.json
    """
    from checker.io.files import write_atomic
    from checker.io.pack import default_rules_root, known_packs, load_pack
    from checker.render.schema import ALL, dumps, scenario_schema

    try:
        root = rules if rules is not None else (Path("rules") if Path("rules").is_dir() else default_rules_root())
        if not root.is_dir():
            raise UsageError(f"--rules: {root} is not a folder")
        names = list(dict.fromkeys(packs or known_packs(root)))
        if not names:
            raise UsageError(f"schema: no rule pack in {root} (a folder holding PACK/treaty.yaml)")
        loaded = [load_pack(name, root) for name in names]
        if output is not None and output.is_dir():
            for pack in loaded:
                write_atomic(output / f"{pack.name}.schema.json", dumps(scenario_schema([pack])),
                             option="--output", force=True)
            write_atomic(output / f"{ALL}.schema.json", dumps(scenario_schema(loaded, ALL)),
                         option="--output", force=True)
            return
        text = dumps(scenario_schema(loaded))
        if output is None:
            print(text, end="")
        else:
            write_atomic(output, text, option="--output", force=force)
    except CheckerError as exc:
        fail(exc)
