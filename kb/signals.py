"""Signals kb sends for changes that bypass model saves, so apps above it can follow."""

from django.dispatch import Signal

# Sent with `page_ids` (a list) after review state changed by queryset update ("Inhalt ist
# aktuell", imports, a topic area's new interval): the search ranks overdue articles lower.
review_state_changed = Signal()

# Sent by `load_demo` after the demo articles (and, with `with_users`, the demo logins) exist,
# with `stdout` to report on: apps above kb add their own demo content.
demo_loaded = Signal()
