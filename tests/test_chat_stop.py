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


class CountingState(FakeState):
    def __init__(self):
        super().__init__()
        self.looks = 0

    async def __aenter__(self):
        self.looks += 1
        return self


async def test_a_stop_signalled_in_this_process_ends_a_silent_wait_without_looking_at_the_state(monkeypatch):
    monkeypatch.setattr(chat_state, "STOP_POLL_SECONDS", 5)
    state, seen, got, signal = CountingState(), [], [], asyncio.Event()
    started = time.monotonic()
    async with chat_state._Answer(state, stream(seen, stall=True), signal) as answer:
        while (piece := await answer.next()) is not None:
            got.append(piece)
            if len(got) == 2:
                asyncio.get_running_loop().call_later(0.05, signal.set)  # Stop pressed in this tab
    assert got == ["Your followers ", "grew "] and seen == ["CancelledError"]
    assert time.monotonic() - started < 1 and state.looks == 0


async def test_without_a_signal_the_state_is_looked_at_once_per_poll_only(monkeypatch):
    monkeypatch.setattr(chat_state, "STOP_POLL_SECONDS", 0.05)
    state, seen = CountingState(), []
    async with chat_state._Answer(state, stream(seen, stall=True), asyncio.Event()) as answer:
        got = [await answer.next(), await answer.next()]
        await asyncio.sleep(0.3)  # the model silent: the watcher looks about six times
        state.stopping = True  # Stop handled by another process
        got.append(await answer.next())
    assert got == ["Your followers ", "grew ", None] and seen == ["CancelledError"]
    assert 3 <= state.looks <= 12


async def test_a_stop_from_another_process_is_heard_without_looking_at_the_state(monkeypatch):
    monkeypatch.setattr(chat_state, "STOP_POLL_SECONDS", 0.05)
    state, seen, asked = CountingState(), [], []

    async def elsewhere() -> bool:  # the Redis key another process's Stop leaves
        asked.append(1)
        return len(asked) >= 3

    async with chat_state._Answer(state, stream(seen, stall=True), asyncio.Event(), elsewhere) as answer:
        got = [await answer.next(), await answer.next(), await answer.next()]
    assert got == ["Your followers ", "grew ", None] and seen == ["CancelledError"]
    assert len(asked) == 3 and state.looks == 0


async def test_the_key_another_process_leaves_is_read_from_redis(redis_url):
    from dreamsuite import redisconn

    try:
        assert not await chat_state._stopped_elsewhere("tab-1")
        await redisconn.client().set(chat_state._stop_key("tab-1"), 1, ex=60)
        assert await chat_state._stopped_elsewhere("tab-1") and not await chat_state._stopped_elsewhere("tab-2")
    finally:
        await redisconn.close_clients()
