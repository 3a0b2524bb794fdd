"""The relay and repair-notifications commands: deliver what a crash or an outage left behind."""

from datetime import timedelta

import click
from flask import current_app

from ..services import outbox
from ..tasks import repair


@click.command("relay")
@click.option("--once", is_flag=True, help="One pass (relay, then repair), then exit.")
def relay(once: bool) -> None:
    """Publish outbox messages the web processes left unpublished; rerun unfinished jobs."""
    sweeper = current_app.extensions["outbox_sweeper"]
    if once:
        done = sweeper.run_once(force_repair=True)
        click.echo(f"relayed {done['relayed']}, repaired {done['repaired']}; "
                   f"{outbox.unpublished_count()} still unpublished")
        return
    click.echo(f"relaying every {sweeper.interval:g} s (Ctrl-C to stop)")
    sweeper.run_forever()


@click.command("repair-notifications")
@click.option("--older-than", default=600, show_default=True, help="Seconds a job may stay unfinished.")
@click.option("--limit", default=1000, show_default=True)
def repair_notifications(older_than: int, limit: int) -> None:
    """Rerun notification (and other) tasks that failed or never finished; duplicates are skipped."""
    rerun, succeeded = repair(current_app._get_current_object(), timedelta(seconds=older_than), limit)
    click.echo(f"reran {rerun} unfinished jobs, {succeeded} succeeded")
    if rerun != succeeded:
        raise SystemExit(1)
