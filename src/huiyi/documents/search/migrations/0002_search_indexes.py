"""The full-text index: a GIN index over the tsvector on PostgreSQL; an FTS5 table (kept in step by
triggers) on SQLite. Other databases search with a plain scan of the tokens."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS docsearch_fts USING fts5(
        title_tokens, tokens, content='docsearch_documenttext', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS docsearch_fts_ai AFTER INSERT ON docsearch_documenttext BEGIN
        INSERT INTO docsearch_fts(rowid, title_tokens, tokens) VALUES (new.id, new.title_tokens, new.tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS docsearch_fts_ad AFTER DELETE ON docsearch_documenttext BEGIN
        INSERT INTO docsearch_fts(docsearch_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
    END""",
    """CREATE TRIGGER IF NOT EXISTS docsearch_fts_au AFTER UPDATE ON docsearch_documenttext BEGIN
        INSERT INTO docsearch_fts(docsearch_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
        INSERT INTO docsearch_fts(rowid, title_tokens, tokens) VALUES (new.id, new.title_tokens, new.tokens);
    END""",
    "INSERT INTO docsearch_fts(docsearch_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS docsearch_fts_au",
    "DROP TRIGGER IF EXISTS docsearch_fts_ad",
    "DROP TRIGGER IF EXISTS docsearch_fts_ai",
    "DROP TABLE IF EXISTS docsearch_fts",
]
PG_FORWARD = ["CREATE INDEX IF NOT EXISTS docsearch_text_vector_gin ON docsearch_documenttext USING gin (vector)"]
PG_BACKWARD = ["DROP INDEX IF EXISTS docsearch_text_vector_gin"]


def _fts5_available(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        return any("ENABLE_FTS5" in row[0] for row in cursor.fetchall())


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        statements = statements_by_vendor.get(connection.vendor, [])
        if connection.vendor == "sqlite" and not _fts5_available(connection):
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("docsearch", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        )
    ]
