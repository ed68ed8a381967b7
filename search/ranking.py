"""Ranking factors both backends apply alike (database: search.backends.database, server:
search.backends.elasticsearch.queries).

OVERDUE_FACTOR: an article whose review is overdue (review_due before today, checked at query
time) scores this much of what it would otherwise: it ranks slightly below an equally good
reviewed article, but a clearly better match still comes first, and it is never hidden or left
out of the hit count.
"""

OVERDUE_FACTOR = 0.9
