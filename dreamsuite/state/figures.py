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
    return _restore, (fig.to_dict(),)


copyreg.pickle(go.Figure, _reduce)
