"""JSON fixtures for backups that load into SQLite and PostgreSQL alike ("wissensnetz-json").

Registered in settings.SERIALIZATION_MODULES and used by ops.backup through
``dumpdata --format wissensnetz-json --natural-foreign``. Only references to content types and
permissions – the rows every database creates itself, with its own ids – are written as
natural keys; every other row keeps its primary key and is referenced by it.

Why not natural keys everywhere (``--natural-primary``)? Wagtail gives pages
(``url_path``) and collections (names of their ancestors) natural keys that cannot be computed
while a fixture is loaded, so such a dump cannot be restored. Primary keys also keep what
refers to rows by id outside foreign keys intact: page revisions, log entries, StreamField
choosers and links in rich text.
"""

from __future__ import annotations

from django.core.serializers.json import Deserializer  # noqa: F401 - part of the format
from django.core.serializers.json import Serializer as JSONSerializer

NATURAL_KEY_MODELS = {"contenttypes.contenttype", "auth.permission"}


def _natural(field) -> bool:
    return field.remote_field.model._meta.label_lower in NATURAL_KEY_MODELS


class Serializer(JSONSerializer):
    def handle_fk_field(self, obj, field):
        wanted = self.use_natural_foreign_keys
        self.use_natural_foreign_keys = wanted and _natural(field)
        try:
            super().handle_fk_field(obj, field)
        finally:
            self.use_natural_foreign_keys = wanted

    def handle_m2m_field(self, obj, field):
        wanted = self.use_natural_foreign_keys
        self.use_natural_foreign_keys = wanted and _natural(field)
        try:
            super().handle_m2m_field(obj, field)
        finally:
            self.use_natural_foreign_keys = wanted
