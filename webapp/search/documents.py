"""The document each searchable row becomes, as SQL shared by both databases."""

COLUMNS = (
    "kind, startup_id, user_id, opportunity_id, ref_id, slug, title, names, subtitle, body, "
    "industry, stage, role, location, skills, is_closed, created_at"
)
UPDATED = (
    "slug", "title", "names", "subtitle", "body", "industry", "stage", "role", "location", "skills", "is_closed",
)

# Each document kind: the SELECT producing its row from the source tables ({where} narrows
# it), which rows are invisible, and the conflict column. Never email or other private fields.
STARTUP_SELECT = """
SELECT 'startup', s.id, NULL, NULL, s.id, s.slug, s.name, s.name, s.tagline,
       s.description || ' ' || s.industry || ' ' || s.location || ' ' || {skills_text},
       NULLIF(s.industry, ''), s.stage, NULL, NULLIF(s.location, ''), {skills_list}, FALSE, s.created_at
FROM startups s WHERE {where} AND NOT s.is_hidden"""
USER_SELECT = """
SELECT 'user', NULL, u.id, NULL, u.id, u.username,
       CASE WHEN u.name <> '' THEN u.name ELSE u.username END, u.name || ' ' || u.username, u.headline,
       u.bio || ' ' || u.location || ' ' || {skills_text},
       NULL, NULL, u.role, NULLIF(u.location, ''), {skills_list}, FALSE, u.created_at
FROM users u WHERE {where} AND NOT u.is_suspended"""
OPPORTUNITY_SELECT = """
SELECT 'opportunity', NULL, NULL, o.id, o.id, s.slug, o.title, o.title, {skills_text} || ' ' || s.name,
       o.description || ' ' || o.location || ' ' || replace(o.type, '_', ' ')
         || CASE WHEN o.remote THEN ' remote' ELSE '' END,
       NULLIF(s.industry, ''), s.stage, NULL, NULLIF(o.location, ''), {skills_list}, o.status = 'closed',
       o.created_at
FROM opportunities o JOIN startups s ON s.id = o.startup_id
WHERE {where} AND NOT o.is_hidden AND NOT s.is_hidden"""

KINDS = {
    "startup": {
        "select": STARTUP_SELECT, "fk": "startup_id", "link": "startup_skills", "owner": "s.id",
        "invisible": "SELECT s.id FROM startups s WHERE {where} AND s.is_hidden",
    },
    "user": {
        "select": USER_SELECT, "fk": "user_id", "link": "user_skills", "owner": "u.id",
        "invisible": "SELECT u.id FROM users u WHERE {where} AND u.is_suspended",
    },
    "opportunity": {
        "select": OPPORTUNITY_SELECT, "fk": "opportunity_id", "link": "opportunity_skills", "owner": "o.id",
        "invisible": (
            "SELECT o.id FROM opportunities o JOIN startups s ON s.id = o.startup_id "
            "WHERE {where} AND (o.is_hidden OR s.is_hidden)"
        ),
    },
}

# Source columns whose change alters a document (other updates, e.g. traction, skip the work).
WATCHED = {
    "startups": ("slug", "name", "tagline", "description", "industry", "stage", "location", "is_hidden"),
    "users": ("username", "name", "headline", "bio", "location", "role", "is_suspended"),
    "opportunities": ("title", "description", "type", "location", "remote", "status", "is_hidden", "startup_id"),
}


def refresh_statements(kind: str, where: str, skills_text: str, skills_list: str) -> list[str]:
    """Return the SQL that makes the documents of `kind` matching `where` current."""
    spec = KINDS[kind]
    owner_link = f"x.{spec['fk']} = {spec['owner']}"
    select = spec["select"].format(
        where=where,
        skills_text=skills_text.format(link=spec["link"], match=owner_link),
        skills_list=skills_list.format(link=spec["link"], match=owner_link),
    )
    updates = ", ".join(f"{name} = excluded.{name}" for name in UPDATED)
    return [
        f"DELETE FROM search_documents WHERE {spec['fk']} IN ({spec['invisible'].format(where=where)})",
        f"INSERT INTO search_documents ({COLUMNS}) {select}\nON CONFLICT ({spec['fk']}) DO UPDATE SET {updates}",
    ]

