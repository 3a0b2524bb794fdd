"""The seed-demo, import-data and create-token commands: parse arguments, call a service, print."""

import click
from flask.cli import with_appcontext

from ..services import accounts, demo_seed
from ..services.errors import ServiceError
from ..services.importer import ImportFailed, describe, import_lines

# More than this many bad lines would scroll the first ones away.
MAX_REPORTED_LINES = 100


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the demo community (safe to run again: it only adds what is missing)."""
    result = demo_seed.seed()
    if result.written:
        click.echo(f"Seeded the demo community: {result.summary()}.")
    else:
        click.echo("The demo community is already in place; nothing to add.")
    click.echo(f"demo password: {demo_seed.DEMO_PASSWORD}")
    for role, username in result.logins.items():
        click.echo(f"{role} login: {username}")


@click.command("import-data")
@click.argument("file", type=click.File("rb"))
@click.option("--no-events", is_flag=True, help="Write the rows without recording activity events.")
@with_appcontext
def import_data(file, no_events: bool) -> None:
    """Import JSON Lines from FILE ("-" for stdin): all of it, or nothing.

    Every malformed line (bad JSON, unknown kind, invalid field) is reported. A well-formed
    file is applied in order; a line may refer to rows defined on earlier lines. The first
    line the services refuse (e.g. an unknown reference) is reported and nothing is written.
    """
    try:
        result = import_lines(file, record=not no_events)
    except ImportFailed as exc:
        for number, reason in exc.errors[:MAX_REPORTED_LINES]:
            click.echo(f"line {number}: {reason}", err=True)
        if len(exc.errors) > MAX_REPORTED_LINES:
            click.echo(f"… and {len(exc.errors) - MAX_REPORTED_LINES} more bad lines", err=True)
        raise click.ClickException("import refused; nothing was written") from None
    click.echo(f"Imported {result.lines} lines.")
    for kind, counts in result.counts.items():
        click.echo(f"{kind}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged")
    click.echo("events: none recorded (--no-events)" if no_events else f"events recorded: {result.events}")


@click.command("create-token")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="A label to recognise the token by.")
@with_appcontext
def create_token(username: str, name: str) -> None:
    """Create an API token for USERNAME and print it (shown once, on the last line)."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    if user.is_suspended:
        raise click.ClickException(f"{user.username} is suspended; their tokens would not work")
    try:
        token, plain = accounts.create_token(user, {"name": name})
    except ServiceError as exc:
        raise click.ClickException(describe(exc)) from None
    click.echo(f"API token {token.name!r} for {user.username} (shown once, store it now):")
    click.echo(plain)
