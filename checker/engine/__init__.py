"""The engine: a validated scenario and a rule pack in, verdicts out.

Facts go into clingo as symbols (terms.py is the one codec between Python values and
clingo's terms), the program is grounded and solved (every possible world at once where
facts are uncertain), and the terms the rules show are decoded into checker.model's
verdicts. The only subpackage that imports clingo to solve.
"""
