"""Signals of the cooperation area, for apps above it (subscriptions tells followers)."""

from django.dispatch import Signal

# Sent with `result` and `actor` (the user who recorded it) after a result was saved.
result_recorded = Signal()

# Sent with `action`, `update` (the ActionUpdate written, or None), `actor` and `created`
# (True for a newly agreed action) after an action was created or changed from the site.
action_changed = Signal()
