"""The draft of 15 April 2022 (rules/istanbul-2022-04-15), read as Ukraine asked: each
guarantor answers for itself (`decision: each`) and closing the skies is a means of
assistance (`airspace_closure: included`). Its README says that, so read, Article 5 of the
draft is point 4 of the March text; the fixture below lets the March text's own unit tests
say so, by checking every scenario they build under the draft, read that way, with the March
text's guarantors where a test names none."""

from __future__ import annotations

import pytest

from tests import helpers

DRAFT = "istanbul-2022-04-15"
AS_UKRAINE_ASKED = {"decision": "each", "airspace_closure": "included"}


@pytest.fixture
def as_the_draft_read_as_ukraine_asked(monkeypatch):
    march = helpers.scenario_text

    def draft(events=(), **top):
        if top.get("treaty", helpers.PACK) != helpers.PACK:
            return march(events, **top)
        top["treaty"] = DRAFT
        top["readings"] = {**AS_UKRAINE_ASKED, **(top.get("readings") or {})}
        top.setdefault("parties", {"guarantors": list(helpers.GUARANTORS)})
        return march(events, **top)

    monkeypatch.setattr(helpers, "scenario_text", draft)
