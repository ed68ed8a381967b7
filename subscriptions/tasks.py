"""Background work of the subscriptions: the "sofort" notifications after a publication."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_immediate_task() -> int:
    """Send the immediate notifications now due (the periodic run would send them too)."""
    from .delivery import send_immediate

    return send_immediate().sent
