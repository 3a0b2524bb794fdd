"""Turn tag names into Skill rows, creating the missing ones safely under concurrency."""

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Skill


def resolve_skills(names: list[str]) -> list[Skill]:
    """Return the Skill rows for `names` (already normalised), inserting new ones."""
    if not names:
        return []
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING: two requests adding the same new skill must both succeed.
    db.session.execute(
        insert(Skill).values([{"name": name} for name in names]).on_conflict_do_nothing()
    )
    found = db.session.scalars(select(Skill).where(Skill.name.in_(names))).all()
    by_name = {skill.name: skill for skill in found}
    return [by_name[name] for name in names]
