"""`flask make-admin USERNAME`: grant (or with --revoke, take back) admin rights."""

import click
from flask.cli import with_appcontext

from ..services.errors import NotFound
from ..services.moderation import make_admin as grant_admin


@click.command("make-admin")
@click.argument("username")
@click.option("--revoke", is_flag=True, help="Take admin rights away instead.")
@with_appcontext
def make_admin(username: str, revoke: bool) -> None:
    """Make USERNAME (a username or an email) an admin."""
    try:
        user = grant_admin(username, grant=not revoke)
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{user.username} is {'no longer ' if revoke else 'now '}an admin.")
