"""art4.assist of the draft (rules/istanbul-2022-04-15/art4_assist.lp), read as Ukraine asked,
is the March text's point 4: the March text's unit tests of it, run against the draft (the
fixture in conftest.py). Collected here from their modules, unchanged."""

from __future__ import annotations

import pytest

from tests.rules.test_art4_assist import *  # noqa: F403 - the March text's tests, collected again here
from tests.rules.test_art4_assist_edges import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("as_the_draft_read_as_ukraine_asked")
