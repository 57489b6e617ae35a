"""The front ends: the ``checker`` command line (one module per command group) and the pytest
plugin. They parse options, call the library, hand results to checker.render, and choose the
exit code; no reasoning and no formatting happens here."""
