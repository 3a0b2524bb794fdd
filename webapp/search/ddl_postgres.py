"""PostgreSQL search objects: documents, weighted tsvector + GIN, trigram vocabulary, triggers."""

from .documents import KINDS, WATCHED, refresh_statements

SKILLS_TEXT = (
    "coalesce((SELECT string_agg(k.name, ' ' ORDER BY k.name) FROM {link} x "
    "JOIN skills k ON k.id = x.skill_id WHERE {match}), '')"
)
SKILLS_LIST = (
    "coalesce((SELECT array_agg(k.name ORDER BY k.name) FROM {link} x "
    "JOIN skills k ON k.id = x.skill_id WHERE {match}), '{{}}')"
)

# 'english' stems whole words; 'simple' keeps words as typed so a prefix ("enginee:*") matches.
VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}', {column}), '{weight}')"
    for column, weight in (("names", "A"), ("subtitle", "B"), ("body", "C"))
    for config in ("english", "simple")
)

# Words offered by "did you mean": alphabetic lexemes of visible documents, as typed.
WORDS_OF = """
CREATE FUNCTION search_words_of(doc text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT w FROM unnest(tsvector_to_array(to_tsvector('simple', doc))) AS w
  WHERE char_length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alpha:]]+$'
$$"""

# Insert-only: a per-word document count would rewrite hot rows ("python") on every write
# and a bulk import in one transaction would crawl through their dead versions. Words that
# no longer occur stay until `search_rebuild_words()`; a correction is only offered when the
# corrected query finds something, so a stale word is never suggested.
WORDS_SYNC = """
CREATE FUNCTION search_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT w FROM search_words_of(NEW.names || ' ' || NEW.subtitle || ' ' || NEW.body) AS w ORDER BY w
  ON CONFLICT (word) DO NOTHING;
  RETURN NULL;
END $$"""

WORDS_REBUILD = """
CREATE FUNCTION search_rebuild_words() RETURNS void LANGUAGE sql AS $$
  TRUNCATE search_words;
  INSERT INTO search_words (word)
  SELECT DISTINCT search_words_of(names || ' ' || subtitle || ' ' || body) FROM search_documents
  ON CONFLICT (word) DO NOTHING;
$$"""

# TRUNCATE ... CASCADE of a source table empties the documents without row triggers.
WORDS_TRUNCATE = """
CREATE FUNCTION search_words_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE search_words;
  RETURN NULL;
END $$"""

WORDS_TRIGGERS = (
    "CREATE TRIGGER search_words_insert AFTER INSERT ON search_documents "
    "FOR EACH ROW EXECUTE FUNCTION search_words_sync()",
    "CREATE TRIGGER search_words_update AFTER UPDATE OF names, subtitle, body ON search_documents "
    "FOR EACH ROW WHEN (OLD.names || OLD.subtitle || OLD.body IS DISTINCT FROM "
    "NEW.names || NEW.subtitle || NEW.body) "
    "EXECUTE FUNCTION search_words_sync()",
)


def _refresh_function(name: str, kind: str, where: str) -> str:
    body = ";\n  ".join(refresh_statements(kind, where, SKILLS_TEXT, SKILLS_LIST))
    return (
        f"CREATE FUNCTION {name}(target integer) RETURNS void LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n  {body};\nEND $$"
    )


def _trigger_function(name: str, calls: list[str]) -> str:
    body = "\n  ".join(f"PERFORM {call};" for call in calls)
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  {body}\n  RETURN NULL;\nEND $$"


def _row_id(column: str) -> str:
    return f"CASE WHEN TG_OP = 'DELETE' THEN OLD.{column} ELSE NEW.{column} END"


def _changed(table: str) -> str:
    return " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in WATCHED[table])


# Ranking a huge match set scores only candidates read from these (search/postgres.py).
RANKING_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_search_documents_names ON search_documents "
    "USING gin ((to_tsvector('english', names) || to_tsvector('simple', names)))",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_title_lower ON search_documents (lower(title))",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_slug_lower ON search_documents (lower(slug))",
    "CREATE INDEX IF NOT EXISTS ix_search_documents_created_at ON search_documents (created_at)",
)


def create_statements() -> list[str]:
    """Return the DDL, in order, ending with indexing the rows that already exist."""
    statements = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"""CREATE TABLE search_documents (
            id bigserial PRIMARY KEY,
            kind varchar(12) NOT NULL,
            startup_id integer UNIQUE REFERENCES startups (id) ON DELETE CASCADE,
            user_id integer UNIQUE REFERENCES users (id) ON DELETE CASCADE,
            opportunity_id integer UNIQUE REFERENCES opportunities (id) ON DELETE CASCADE,
            ref_id integer NOT NULL,
            slug text,
            title text NOT NULL,
            names text NOT NULL,
            subtitle text NOT NULL,
            body text NOT NULL,
            industry varchar(50),
            stage varchar(20),
            role varchar(10),
            location varchar(100),
            skills text[] NOT NULL DEFAULT '{{}}',
            is_closed boolean NOT NULL DEFAULT false,
            created_at timestamptz,
            document tsvector GENERATED ALWAYS AS ({VECTOR}) STORED
        )""",
        "CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)",
        "CREATE INDEX ix_search_documents_skills ON search_documents USING gin (skills)",
        "CREATE INDEX ix_search_documents_kind ON search_documents (kind)",
        *RANKING_INDEXES,
        "CREATE TABLE search_words (word text PRIMARY KEY)",
        "CREATE INDEX ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)",
        "CREATE INDEX ix_search_words_prefix ON search_words (word text_pattern_ops)",
        WORDS_OF,
        WORDS_SYNC,
        WORDS_TRUNCATE,
        WORDS_REBUILD,
        "CREATE TRIGGER search_words_truncate AFTER TRUNCATE ON search_documents "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_words_truncate()",
        _refresh_function("search_refresh_startup", "startup", "s.id = target"),
        _refresh_function("search_refresh_user", "user", "u.id = target"),
        _refresh_function("search_refresh_opportunity", "opportunity", "o.id = target"),
        _refresh_function("search_refresh_startup_opportunities", "opportunity", "o.startup_id = target"),
        _trigger_function("search_on_startup", [
            "search_refresh_startup(NEW.id)", "search_refresh_startup_opportunities(NEW.id)",
        ]),
        _trigger_function("search_on_user", ["search_refresh_user(NEW.id)"]),
        _trigger_function("search_on_opportunity", ["search_refresh_opportunity(NEW.id)"]),
        _trigger_function("search_on_startup_skill", [f"search_refresh_startup({_row_id('startup_id')})"]),
        _trigger_function("search_on_user_skill", [f"search_refresh_user({_row_id('user_id')})"]),
        _trigger_function("search_on_opportunity_skill", [
            f"search_refresh_opportunity({_row_id('opportunity_id')})",
        ]),
    ]
    for table, function in (("startups", "search_on_startup"), ("users", "search_on_user"),
                            ("opportunities", "search_on_opportunity")):
        statements += [
            f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE ON {table} "
            f"FOR EACH ROW WHEN ({_changed(table)}) EXECUTE FUNCTION {function}()",
        ]
    for table, function in (("startup_skills", "search_on_startup_skill"), ("user_skills", "search_on_user_skill"),
                            ("opportunity_skills", "search_on_opportunity_skill")):
        statements.append(
            f"CREATE TRIGGER search_{table}_change AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    # Backfill the documents first and build the vocabulary in one grouped statement: the
    # per-row words trigger would otherwise run once for every backfilled document.
    for kind in KINDS:
        statements += refresh_statements(kind, "TRUE", SKILLS_TEXT, SKILLS_LIST)[1:]
    return statements + ["SELECT search_rebuild_words()", *WORDS_TRIGGERS]


def drop_statements() -> list[str]:
    """Return the DDL removing every search object (tables cascade to their triggers)."""
    tables = ("startups", "users", "opportunities")
    links = ("startup_skills", "user_skills", "opportunity_skills")
    statements = [f"DROP TRIGGER IF EXISTS search_{table}_{event} ON {table}"
                  for table in tables for event in ("insert", "update")]
    statements += [f"DROP TRIGGER IF EXISTS search_{table}_change ON {table}" for table in links]
    statements += ["DROP TABLE IF EXISTS search_documents", "DROP TABLE IF EXISTS search_words"]
    functions = (
        "search_on_startup()", "search_on_user()", "search_on_opportunity()", "search_on_startup_skill()",
        "search_on_user_skill()", "search_on_opportunity_skill()", "search_refresh_startup(integer)",
        "search_refresh_user(integer)", "search_refresh_opportunity(integer)",
        "search_refresh_startup_opportunities(integer)", "search_words_sync()", "search_words_truncate()",
        "search_words_of(text)", "search_rebuild_words()",
    )
    statements += [f"DROP FUNCTION IF EXISTS {function}" for function in functions]
    return statements
