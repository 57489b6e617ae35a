"""Tools for the people who maintain rule packs: the test runner (expect: blocks), coverage,
lint (with the growth check) and the semantic diff between two revisions."""
