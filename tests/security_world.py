"""A small community with every kind of private object, and a walker over every route of the app.

The walker reads `app.url_map` (and the OpenAPI document for the API), so routes added later
are covered without touching the security suites: path arguments are filled from the world by
name (`slug`, `username`, `<table>_id` …) and fall back to the lowest id of the matching table.
"""

from dataclasses import dataclass, field

from sqlalchemy import inspect, select, text

from webapp.extensions import db
from webapp.models import User
from webapp.services import applications, moderation, startups

from .factories import make_opportunity, make_startup, make_user, token_for

SKIPPED_ENDPOINTS = {"static", "api_fallback.unknown"}
# GET routes that are probes or need their own credentials; they are tested on their own.
MACHINE_PREFIXES = ("/health/", "/live/", "/ready/", "/metrics/")


@dataclass
class World:
    founder: User
    other_founder: User
    talent: User
    investor: User
    bystander: User
    admin: User
    startup: object
    other_startup: object
    opportunity: object
    application: object
    tokens: dict = field(default_factory=dict)

    def users(self) -> dict[str, User]:
        return {"founder": self.founder, "other_founder": self.other_founder, "talent": self.talent,
                "investor": self.investor, "bystander": self.bystander, "admin": self.admin}


def build_world() -> World:
    """Founder with a startup and an opening, a talent who applied (and was moved to reviewing),
    an investor who marked interest, a founder of another startup, a bystander and an admin."""
    founder = make_user("founder", username="fiona")
    other_founder = make_user("founder", username="otto")
    talent = make_user("talent", username="tara")
    investor = make_user("investor", username="ivan")
    bystander = make_user("talent", username="bob")
    admin = make_user("talent", username="root")
    moderation.make_admin("root")
    startup = make_startup(founder, name="Acme Rockets")
    other_startup = make_startup(other_founder, name="Other Co")
    opportunity = make_opportunity(startup, title="Rocket engineer")
    application = applications.apply(talent, opportunity, {"note": "private cover note"})
    applications.change_status(application, founder, {"status": "reviewing", "feedback": "private feedback"})
    startups.mark_interest(investor, startup)
    world = World(founder, other_founder, talent, investor, bystander, admin, startup, other_startup,
                  opportunity, application)
    for name, user in world.users().items():
        world.tokens[name] = token_for(user)
    return world


def _lowest_id(name: str) -> int:
    """`conversation_id` -> the lowest id in `conversations` (1 when there is no such table or row)."""
    base = name[:-3] if name.endswith("_id") else name
    tables = set(inspect(db.engine).get_table_names())
    for table in (base + "s", base + "es", base):
        if table in tables:
            value = db.session.scalar(select(text("min(id)")).select_from(text(f'"{table}"')))
            return value or 1
    return 1


def path_values(world: World, viewer: str | None = None) -> dict:
    """Values for the path arguments the app's rules use, by argument name."""
    token_owner = world.users().get(viewer or "founder", world.founder)
    token = db.session.scalar(text("select min(id) from api_tokens where user_id = :u"), {"u": token_owner.id})
    return {
        "slug": world.startup.slug,
        "username": world.talent.username,
        "opportunity_id": world.opportunity.id,
        "application_id": world.application.id,
        "user_id": world.talent.id,
        "token_id": token or 1,
        "kind": "startups",
        "item_id": world.startup.id,
        "path": "nothing-here",
        "filename": "css/app.css",
    }


def fill(rule, values: dict) -> str | None:
    """Build a URL for `rule` from `values`; unknown integer arguments get the lowest id of their table."""
    arguments = {}
    for name, converter in rule._converters.items():
        if name in values:
            arguments[name] = values[name]
        elif type(converter).__name__ == "IntegerConverter" or name.endswith("_id") or name == "id":
            arguments[name] = _lowest_id(name)
        else:
            arguments[name] = "x"
    try:
        return rule.build(arguments, append_unknown=False)[1]
    except Exception:  # noqa: BLE001 - a rule whose converter refuses our value is skipped
        return None


def page_rules(app, method: str = "GET"):
    """Every HTML (non-API, non-probe, non-socket) rule answering `method`."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS or getattr(rule, "websocket", False):
            continue
        if rule.rule.startswith("/api/") or rule.rule.startswith(MACHINE_PREFIXES):
            continue
        if method in rule.methods:
            yield rule


def page_urls(app, world: World, viewer: str | None = None, method: str = "GET") -> list[str]:
    values = path_values(world, viewer)
    urls = [fill(rule, values) for rule in page_rules(app, method)]
    return sorted({url for url in urls if url})


def api_operations(client) -> list[tuple[str, str]]:
    """(method, path template) of every operation in the OpenAPI document."""
    document = client.get("/api/v1/openapi.json").get_json()
    operations = []
    for path, item in document["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                operations.append((method.upper(), path))
    return operations


def api_url(path_template: str, world: World, viewer: str | None = None) -> str:
    """Fill `{name}` placeholders of an OpenAPI path from the world."""
    values = path_values(world, viewer)
    url = "/api/v1" + path_template if not path_template.startswith("/api/") else path_template
    while "{" in url:
        start = url.index("{")
        end = url.index("}", start)
        name = url[start + 1:end]
        value = values.get(name, _lowest_id(name))
        url = url[:start] + str(value) + url[end + 1:]
    return url


def snapshot(ignore: dict[str, set[str]] | None = None) -> dict:
    """Every row of every table (sorted), less the columns named in `ignore` per table."""
    ignore = ignore or {}
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        skipped = ignore.get(table.name, set())
        columns = [column for column in table.columns if column.name not in skipped]
        rows = db.session.execute(select(*columns)).all()
        state[table.name] = sorted(map(repr, rows))
    return state


def diff(before: dict, after: dict) -> dict:
    return {name: (len(before[name]), len(after[name])) for name in before if before[name] != after[name]}
