"""Reading: scenario files (one validator), rule packs and their manifests, paths.

Nothing here knows clingo; everything returns the domain objects of checker.model.
"""
