"""Skills: normalised lowercase tags linked to users, startups and opportunities."""

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Skill(db.Model):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)

    def __repr__(self) -> str:
        return f"<Skill {self.name}>"


def _link_table(name: str, owner: str, owner_table: str) -> Table:
    """Build a many-to-many table between `owner` and skills, indexed both ways."""
    return Table(
        name,
        db.metadata,
        Column(f"{owner}_id", Integer, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column("skill_id", Integer, ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


user_skills = _link_table("user_skills", "user", "users")
startup_skills = _link_table("startup_skills", "startup", "startups")
opportunity_skills = _link_table("opportunity_skills", "opportunity", "opportunities")
