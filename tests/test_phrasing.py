"""A language model may reword an insight, never its numbers."""

from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.messages import ModelResponse
from pydantic_ai.models.test import TestModel

from dreamsuite.agents.phrasing import numbers, phrase
from dreamsuite.insights.drafts import Draft

DRAFT = Draft(type="growth", priority="medium", title="Instagram followers at a new high",
              message="Instagram reached 26,617 followers on Nov 26, above the previous high of 26,557 (Nov 25).",
              dedupe_key="record:instagram:2026-11")


def test_a_faithful_rewording_is_kept():
    model = TestModel(custom_output_args={
        "title": "A new Instagram high",
        "message": "You hit 26,617 Instagram followers on Nov 26, beating your high of 26,557 from Nov 25."})
    out = phrase(DRAFT, model)
    assert out.title == "A new Instagram high" and out.message.startswith("You hit 26,617")
    assert out.dedupe_key == DRAFT.dedupe_key and out.figures == DRAFT.figures


def test_a_changed_or_invented_number_keeps_the_drafted_words():
    for title, message in (("A new high", "You hit about 26.6k followers on Nov 26."),  # rounded
                           ("A new high", "26,617 followers on Nov 26, up 60 from 26,557 on Nov 25."),  # 60 is new
                           ("A <b>new</b> high", "26,617 followers on Nov 26 (26,557 on Nov 25)."),  # markup
                           ("", "26,617 followers on Nov 26.")):
        out = phrase(DRAFT, TestModel(custom_output_args={"title": title, "message": message}))
        assert (out.title, out.message) == (DRAFT.title, DRAFT.message), message


def test_a_failing_model_keeps_the_drafted_words():
    def broken(messages, info: AgentInfo) -> ModelResponse:
        raise RuntimeError("provider down")

    assert phrase(DRAFT, FunctionModel(broken)) == DRAFT
    assert phrase(DRAFT, None) is DRAFT


def test_numbers_are_read_with_their_signs_separators_and_percent():
    assert numbers("gained +1,421 (3.2%) and lost −70 on Oct 17") == ["+1,421", "3.2%", "-70", "17"]


def test_only_new_insights_are_reworded(db):
    from dreamsuite import db as dbmod
    from dreamsuite.models import Insight
    from dreamsuite.services import insights
    from tests.seed_metrics import make_scope
    from sqlmodel import select
    from dataclasses import replace

    scope = make_scope()
    calls = []

    def writer(d: Draft) -> Draft:
        calls.append(d.dedupe_key)
        return replace(d, title="Reworded: " + d.title)

    with dbmod.session() as s:
        assert insights.store(s, scope.workspace_id, [DRAFT], phrase=writer) == 1
    with dbmod.session() as s:
        assert insights.store(s, scope.workspace_id, [DRAFT], phrase=writer) == 0
        stored = s.exec(select(Insight)).all()
    assert calls == [DRAFT.dedupe_key]
    assert [i.title for i in stored] == ["Reworded: " + DRAFT.title] and stored[0].message == DRAFT.message
