"""Reminders to the person responsible for an agreed action, before and after its due date."""

from __future__ import annotations

import datetime


def send_action_reminders(today: datetime.date) -> int:
    """Sends the reminders due today; returns how many went out. Idempotent per stage."""
    return 0
