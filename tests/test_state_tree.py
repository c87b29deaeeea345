"""What one event loads from Redis: its own state, the states above it, and no page's state
beside it. Reflex also loads every state holding a computed var that reads the event's state or
any state above it; a page state with a computed var reading AuthState's own vars (the role,
the workspace's name) would be loaded, and written back, by every event of every page."""

from __future__ import annotations

import dreamsuite.pages  # noqa: F401 - every page's state registered
from reflex.istate.manager.redis import StateManagerRedis
from reflex.state import State

from dreamsuite.state.auth import AuthState


def _tree(cls):
    yield cls
    for sub in cls.get_substates():
        yield from _tree(sub)


def _loaded_by_an_event_on(cls) -> set[type]:
    # The manager's own rule for which states an event on `cls` fetches (no Redis needed).
    return StateManagerRedis._get_required_state_classes(StateManagerRedis.__new__(StateManagerRedis), cls,
                                                           subclasses=True)


def test_an_event_on_a_page_loads_only_that_page_and_the_states_above_it():
    pages = [c for c in AuthState.get_substates() if c.__module__.startswith("dreamsuite.")]
    assert len(pages) > 15
    for page in pages:
        extra = _loaded_by_an_event_on(page) - set(_tree(page)) - {State, AuthState}
        assert not extra, f"an event on {page.__name__} also loads {sorted(c.__name__ for c in extra)}"


def test_the_states_above_every_page_have_no_computed_var_of_a_page_depending_on_them():
    for cls in (State, AuthState):
        dependants = {name.rsplit(".", 1)[-1] for name in cls._potentially_dirty_states}
        assert dependants <= {State.get_name(), AuthState.get_name()}, (cls.__name__, dependants)
