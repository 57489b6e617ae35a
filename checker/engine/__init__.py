"""The engine: a validated scenario and a rule pack in, verdicts out.

Facts go into clingo as symbols, the program is grounded and solved (every possible world
at once where facts are uncertain), and the output atoms are decoded into checker.model's
verdicts. The only subpackage that imports clingo to solve.
"""
