"""Each destination's history: one row per step of its life (sending, will try again, published,
failed, unconfirmed, the first comment's steps), which the post page shows."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from dreamsuite.models import DestinationEvent


def history(s: Session, workspace_id: int, destination_id: int, status: str, message: str = "") -> None:
    """One step in a destination's life, for the post page ("what happened to my post?")."""
    s.add(DestinationEvent(workspace_id=workspace_id, destination_id=destination_id, status=str(status),
                           message=message[:2000]))


def history_row(workspace_id: int, destination_id: int, status: str, message: str, at: datetime) -> dict:
    """The same step as a row for a bulk INSERT (several destinations' steps in one statement)."""
    return {"workspace_id": workspace_id, "destination_id": destination_id, "status": str(status),
            "message": message[:2000], "at": at}
