"""French full-text search on PostgreSQL: the unaccent extension and a « quartiers_fr » text search configuration.

``quartiers_fr`` is PostgreSQL's ``french`` configuration with accents removed before stemming, so that « ecole »
finds « écoles ». Nothing happens on SQLite, where ``quartiers.frameworks.search`` does the same in Python.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CREATE_CONFIG = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'quartiers_fr') THEN
        CREATE TEXT SEARCH CONFIGURATION quartiers_fr (COPY = pg_catalog.french);
        ALTER TEXT SEARCH CONFIGURATION quartiers_fr
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""
DROP_CONFIG = "DROP TEXT SEARCH CONFIGURATION IF EXISTS quartiers_fr;"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_CONFIG)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_CONFIG)


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_framework_versions")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_config, drop_config, elidable=False),
    ]
