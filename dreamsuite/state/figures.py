"""Plotly figures in a tab's state unpickle in under a millisecond instead of a tenth of a second.

With several app processes a tab's state lives in Redis and is unpickled on every event. An
unpickled plotly Figure is rebuilt through plotly's validators: about 100 ms for a chart of a few
traces, so the dashboard's nine charts cost around a second of CPU per event (benchmarks/load.py).
A figure in our state was validated when it was built, so restoring it skips that.
"""

from __future__ import annotations

import copyreg

import plotly.graph_objects as go


def _restore(props: dict) -> go.Figure:
    return go.Figure(props, _validate=False)


def _reduce(fig: go.Figure):
    # The figure's own property dicts, not `to_dict()`'s deep copy of them: pickling copies them
    # anyway, and the copy was most of the cost of saving a tab's state.
    props = {"data": fig._data, "layout": fig._layout}
    if fig._frame_objs:
        props["frames"] = [frame._props for frame in fig._frame_objs]
    return _restore, (props,)


copyreg.pickle(go.Figure, _reduce)
