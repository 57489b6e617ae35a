"""Reasoning on top of the engine: explanations, possible worlds and readings, what-if,
sweeps and minimal repair."""
