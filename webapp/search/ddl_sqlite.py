"""SQLite search objects: documents, an external-content FTS5 index, its vocabulary, triggers."""

from .documents import KINDS, WATCHED, refresh_statements

SKILLS_TEXT = (
    "coalesce((SELECT group_concat(k.name, ' ') FROM {link} x "
    "JOIN skills k ON k.id = x.skill_id WHERE {match}), '')"
)
SKILLS_LIST = (
    "(SELECT json_group_array(name) FROM (SELECT k.name FROM {link} x "
    "JOIN skills k ON k.id = x.skill_id WHERE {match} ORDER BY k.name))"
)
INDEXED = ("names", "subtitle", "body")

# No porter stemmer: a stemmed index breaks prefix queries ("enginee"* misses "engin") and
# fts5vocab would offer stems ("engin") as corrections. The query adds light stemming instead.
FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(names, subtitle, body, content='search_documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
)


def _trigger(name: str, when: str, table: str, statements: list[str], condition: str = "") -> str:
    body = ";\n  ".join(statements)
    guard = f" WHEN {condition}" if condition else ""
    return f"CREATE TRIGGER {name} {when} ON {table}{guard}\nBEGIN\n  {body};\nEND"


def _refresh(kind: str, where: str) -> list[str]:
    return refresh_statements(kind, where, SKILLS_TEXT, SKILLS_LIST)


def _changed(table: str) -> str:
    return " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in WATCHED[table])


def _fts_sync() -> list[str]:
    columns = ", ".join(INDEXED)
    new = ", ".join(f"new.{column}" for column in INDEXED)
    old = ", ".join(f"old.{column}" for column in INDEXED)
    delete = f"INSERT INTO search_fts (search_fts, rowid, {columns}) VALUES ('delete', old.id, {old})"
    insert = f"INSERT INTO search_fts (rowid, {columns}) VALUES (new.id, {new})"
    changed = " OR ".join(f"old.{column} IS NOT new.{column}" for column in INDEXED)
    return [
        _trigger("search_fts_insert", "AFTER INSERT", "search_documents", [insert]),
        _trigger("search_fts_delete", "AFTER DELETE", "search_documents", [delete]),
        _trigger("search_fts_update", "AFTER UPDATE", "search_documents", [delete, insert], changed),
    ]


def _source_triggers() -> list[str]:
    startup = _refresh("startup", "s.id = NEW.id") + _refresh("opportunity", "o.startup_id = NEW.id")
    triggers = [
        _trigger("search_startups_insert", "AFTER INSERT", "startups", _refresh("startup", "s.id = NEW.id")),
        _trigger("search_startups_update", "AFTER UPDATE", "startups", startup, _changed("startups")),
        _trigger("search_users_insert", "AFTER INSERT", "users", _refresh("user", "u.id = NEW.id")),
        _trigger("search_users_update", "AFTER UPDATE", "users", _refresh("user", "u.id = NEW.id"),
                 _changed("users")),
        _trigger("search_opportunities_insert", "AFTER INSERT", "opportunities",
                 _refresh("opportunity", "o.id = NEW.id")),
        _trigger("search_opportunities_update", "AFTER UPDATE", "opportunities",
                 _refresh("opportunity", "o.id = NEW.id"), _changed("opportunities")),
    ]
    # Deletes cascade through the foreign keys; these also cover connections without them on.
    for table, column in (("startups", "startup_id"), ("users", "user_id"), ("opportunities", "opportunity_id")):
        triggers.append(_trigger(
            f"search_{table}_delete", "AFTER DELETE", table,
            [f"DELETE FROM search_documents WHERE {column} = OLD.id"],
        ))
    for link, kind, column, alias in (("startup_skills", "startup", "startup_id", "s"),
                                      ("user_skills", "user", "user_id", "u"),
                                      ("opportunity_skills", "opportunity", "opportunity_id", "o")):
        for event, row in (("insert", "NEW"), ("delete", "OLD")):
            triggers.append(_trigger(
                f"search_{link}_{event}", f"AFTER {event.upper()}", link,
                _refresh(kind, f"{alias}.id = {row}.{column}"),
            ))
    return triggers


TRIGGERS = (
    [f"search_{t}_{e}" for t in ("startups", "users", "opportunities") for e in ("insert", "update", "delete")]
    + [f"search_{t}_{e}" for t in ("startup_skills", "user_skills", "opportunity_skills") for e in ("insert", "delete")]
    + ["search_fts_insert", "search_fts_delete", "search_fts_update"]
)


def create_statements() -> list[str]:
    """Return the DDL, in order, ending with indexing the rows that already exist."""
    statements = [
        """CREATE TABLE search_documents (
            id INTEGER PRIMARY KEY,
            kind VARCHAR(12) NOT NULL,
            startup_id INTEGER UNIQUE REFERENCES startups (id) ON DELETE CASCADE,
            user_id INTEGER UNIQUE REFERENCES users (id) ON DELETE CASCADE,
            opportunity_id INTEGER UNIQUE REFERENCES opportunities (id) ON DELETE CASCADE,
            ref_id INTEGER NOT NULL,
            slug TEXT,
            title TEXT NOT NULL,
            names TEXT NOT NULL,
            subtitle TEXT NOT NULL,
            body TEXT NOT NULL,
            industry VARCHAR(50),
            stage VARCHAR(20),
            role VARCHAR(10),
            location VARCHAR(100),
            skills TEXT NOT NULL DEFAULT '[]',
            is_closed BOOLEAN NOT NULL DEFAULT 0,
            created_at DATETIME
        )""",
        "CREATE INDEX ix_search_documents_kind ON search_documents (kind)",
        FTS,
        "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row')",
        *_fts_sync(),
        *_source_triggers(),
    ]
    for kind in KINDS:
        statements += _refresh(kind, "TRUE")[1:]
    return statements


def drop_statements() -> list[str]:
    """Return the DDL removing every search object."""
    statements = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]
    return statements + [
        "DROP TABLE IF EXISTS search_vocab",
        "DROP TABLE IF EXISTS search_fts",
        "DROP TABLE IF EXISTS search_documents",
    ]
