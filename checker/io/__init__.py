"""Reading: scenario files (one validator), rule packs and their manifests, files.

document (mappings and lists that keep their lines) is what yamltext and jsontext read
into; scenario validates a document (its events in events) against a pack (pack); files
reads every input and writes every output; rules keeps a pack's rule files in its folder
(the one module here that asks clingo anything: its parser, never its solver). Everything
returns the domain objects of checker.model.
"""
