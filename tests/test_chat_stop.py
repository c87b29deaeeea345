"""Stop on the chat page (state.chat._Answer): the answer's stream ends in the handler's own task
and is closed, whether Stop is seen between pieces or while the model is slow to send one."""

import asyncio
import time

from dreamsuite.state import chat as chat_state


class FakeState:
    """What _Answer needs of the page's state: `async with` and the `stopping` flag."""

    def __init__(self):
        self.stopping = False

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None


def stream(seen: list[str], *, stall: bool):
    async def pieces():
        try:
            yield "Your followers "
            yield "grew "
            if stall:
                await asyncio.sleep(30)  # a model thinking (tools, a remote LLM)
            yield "by 100."
        except BaseException as e:  # what the chat service would store as "(Answer stopped.)"
            seen.append(type(e).__name__)
            raise
    return pieces()


async def test_stop_seen_between_pieces_closes_the_stream():
    seen: list[str] = []
    got = []
    async with chat_state._Answer(FakeState(), stream(seen, stall=False)) as answer:
        while (piece := await answer.next()) is not None:
            got.append(piece)
            answer.stop()  # the handler saw `stopping` when it flushed
    assert got == ["Your followers "] and seen == ["GeneratorExit"]


async def test_stop_while_the_model_is_silent_ends_the_wait(monkeypatch):
    monkeypatch.setattr(chat_state, "STOP_POLL_SECONDS", 0.02)
    state, seen, got = FakeState(), [], []
    started = time.monotonic()
    async with chat_state._Answer(state, stream(seen, stall=True)) as answer:
        while (piece := await answer.next()) is not None:
            got.append(piece)
            if len(got) == 2:
                state.stopping = True  # Stop pressed; no more pieces come for 30 s
    assert got == ["Your followers ", "grew "] and seen == ["CancelledError"]
    assert time.monotonic() - started < 2
    assert asyncio.current_task().cancelling() == 0  # the handler carries on, not cancelled itself
    await asyncio.sleep(0)  # and can still await (store, reload the messages)


async def test_an_answer_that_ends_by_itself_is_read_whole():
    seen: list[str] = []
    async with chat_state._Answer(FakeState(), stream(seen, stall=False)) as answer:
        got = [p async for p in _pieces(answer)]
    assert "".join(got) == "Your followers grew by 100." and seen == []


async def _pieces(answer):
    while (piece := await answer.next()) is not None:
        yield piece
