"""The shape of one recommendation, and the phrases its reasons are built from."""

from dataclasses import dataclass, field

MAX_NAMED_SKILLS = 5


@dataclass
class Recommendation:
    """One ranked candidate with the score parts behind it (JSON-ready through as_dict)."""

    kind: str
    id: int
    title: str
    url: str
    score: float
    score_parts: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    subtitle: str = ""

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "id": self.id, "title": self.title, "url": self.url,
            "score": self.score, "reasons": self.reasons, "score_parts": self.score_parts,
            "subtitle": self.subtitle,
        }


def target_url(kind: str, key) -> str:
    """Return the page of a target, by the paths SPEC §3.9 pins."""
    return {"startup": "/startups/{}", "opportunity": "/opportunities/{}", "user": "/users/{}"}[kind].format(key)


def parts_of(row, names) -> dict[str, float]:
    """Read the score parts (each 0..1) named in `names` from a result row."""
    return {name: round(float(getattr(row, f"part_{name}") or 0.0), 4) for name in names}


def skills_phrase(names: list[str], what: str = "your skills") -> str:
    """Return "matches 3 of your skills: rust, wasm, postgresql" (at most five named)."""
    shown = ", ".join(names[:MAX_NAMED_SKILLS]) + (", …" if len(names) > MAX_NAMED_SKILLS else "")
    return f"matches {len(names)} of {what}: {shown}"


def plural(count: int, noun: str) -> str:
    """Return "1 open role" / "2 open roles"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def number(value: int) -> str:
    """Return 12,000 for 12000."""
    return f"{int(value):,}"
