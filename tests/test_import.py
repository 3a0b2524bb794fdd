"""flask import-data: JSON Lines upserted through the services, all or nothing."""

import json

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ActivityEvent, Application, Follow, Opportunity, Startup, User
from webapp.services import accounts

from .factories import make_user

PASSWORD = "correct horse battery"


def user_line(username, role="talent", **fields):
    return {"kind": "user", "username": username, "email": f"{username}@example.com", "password": PASSWORD,
            "role": role} | fields


GOOD = [
    user_line("ada", "founder", name="Ada Lovelace", headline="Building engines", skills=["Python", "math"]),
    user_line("charles", "founder", name="Charles Babbage"),
    user_line("bob", name="Bob", skills=["python"], open_to_work=True),
    user_line("ivy", "investor", investor={"industries": ["fintech"], "stages": ["seed", "series_a"],
                                           "cheque_min": 10000, "cheque_max": 50000}),
    {"kind": "startup", "slug": "engine", "name": "Analytical Engine", "tagline": "Compute anything",
     "description": "Gears.", "industry": "fintech", "stage": "seed", "location": "London",
     "founders": ["ada", "charles"], "skills_needed": ["python"],
     "traction": {"monthly_active_users": 10, "mrr": 100, "growth_rate": 0.1, "funding_raised": 0, "team_size": 2}},
    {"kind": "opportunity", "ref": "engine-1", "startup": "engine", "title": "Engineer", "description": "Build it.",
     "type": "full_time", "location": "London", "remote": True, "skills": ["python"], "status": "open"},
    {"kind": "follow", "follower": "bob", "startup": "engine"},
    {"kind": "follow", "follower": "bob", "user": "ada"},
    {"kind": "application", "user": "bob", "opportunity": "engine-1", "note": "I love gears."},
]


def write(tmp_path, lines, name="data.jsonl"):
    """Write records (dicts become JSON, strings are written as they are) one per line."""
    path = tmp_path / name
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return str(path)


def table_counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def user(username) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def events_by_type() -> dict[str, int]:
    rows = db.session.execute(select(ActivityEvent.action_type, func.count()).group_by(ActivityEvent.action_type))
    return dict(rows.all())


def test_import_writes_every_kind_and_records_the_same_events(runner, tmp_path):
    result = runner.invoke(args=["import-data", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "user: 4 created, 0 updated" in result.output
    assert "application: 1 created" in result.output

    ada, bob, ivy = user("ada"), user("bob"), user("ivy")
    assert ada.role == "founder" and ada.headline == "Building engines"
    assert ada.skill_names == ["math", "python"]
    assert accounts.authenticate("ada", PASSWORD) == ada
    assert [row.stage for row in ivy.investor_stages] == ["seed", "series_a"]
    assert (ivy.cheque_min, ivy.cheque_max) == (10000, 50000)
    startup = db.session.scalar(select(Startup).where(Startup.slug == "engine"))
    assert {member.username for member in startup.members} == {"ada", "charles"}
    assert (startup.mrr, startup.growth_rate) == (100, 0.1)
    opportunity = db.session.scalar(select(Opportunity).where(Opportunity.ref == "engine-1"))
    assert (opportunity.startup_id, opportunity.remote, opportunity.skill_names) == (startup.id, True, ["python"])
    assert db.session.scalar(select(func.count()).select_from(Follow).where(Follow.follower_id == bob.id)) == 2
    application = db.session.scalar(select(Application))
    assert (application.user_id, application.note, application.status) == (bob.id, "I love gears.", "submitted")

    assert events_by_type() == {
        "user_joined": 4, "profile_updated": 4, "startup_created": 1, "opportunity_posted": 1,
        "followed_startup": 1, "followed_user": 1, "application_submitted": 1,
    }
    submitted = db.session.scalar(select(ActivityEvent).where(ActivityEvent.action_type == "application_submitted"))
    assert submitted.is_public is False
    assert submitted.audience_ids == {bob.id, ada.id, user("charles").id}
    public = db.session.scalars(select(ActivityEvent).where(ActivityEvent.action_type != "application_submitted"))
    assert all(event.is_public for event in public)
    assert "events recorded: 13" in result.output


def test_no_events_writes_the_rows_but_no_events(runner, tmp_path):
    result = runner.invoke(args=["import-data", "--no-events", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    counts = table_counts()
    assert (counts["users"], counts["startups"], counts["opportunities"]) == (4, 1, 1)
    assert (counts["follows"], counts["applications"]) == (2, 1)
    assert counts["activity_events"] == counts["event_audience"] == 0


def test_reimporting_the_same_file_duplicates_nothing(runner, tmp_path):
    path = write(tmp_path, GOOD)
    assert runner.invoke(args=["import-data", path]).exit_code == 0
    before = table_counts()
    result = runner.invoke(args=["import-data", path])
    assert result.exit_code == 0, result.output
    assert "user: 0 created, 0 updated, 4 unchanged" in result.output
    assert "events recorded: 0" in result.output
    assert table_counts() == before


def test_reimporting_changed_lines_updates_the_rows_with_their_events(runner, tmp_path):
    assert runner.invoke(args=["import-data", write(tmp_path, GOOD)]).exit_code == 0
    before = table_counts()
    changed = [
        user_line("bob", name="Robert", skills=["python", "go"], open_to_work=True, password="a brand new password"),
        {**GOOD[4], "tagline": "Compute everything", "traction": {"mrr": 500}},
        {**GOOD[5], "title": "Senior Engineer", "status": "closed"},
        {**GOOD[8], "note": "Still love gears."},
    ]
    result = runner.invoke(args=["import-data", write(tmp_path, changed, "changed.jsonl")])
    assert result.exit_code == 0, result.output
    assert "user: 0 created, 1 updated" in result.output
    assert "opportunity: 0 created, 1 updated" in result.output

    after = table_counts()
    assert after["outbox_messages"] == before["outbox_messages"] + 4  # one per event, for the live relay
    bookkeeping = {"outbox_messages", "public_event_counts", "task_jobs"}
    assert {name: n for name, n in after.items() if n != before[name] and name not in bookkeeping} == {
        "activity_events": before["activity_events"] + 4,
        "user_skills": before["user_skills"] + 1,
        "skills": before["skills"] + 1,
    }
    new_events = events_by_type()
    assert (new_events["profile_updated"], new_events["startup_updated"], new_events["traction_updated"]) == (5, 1, 1)
    assert new_events["opportunity_closed"] == 1
    bob = user("bob")
    assert (bob.name, bob.skill_names) == ("Robert", ["go", "python"])
    assert accounts.authenticate("bob", "a brand new password") == bob
    startup = db.session.scalar(select(Startup).where(Startup.slug == "engine"))
    assert (startup.tagline, startup.mrr, startup.monthly_active_users) == ("Compute everything", 500, 10)
    opportunity = db.session.scalar(select(Opportunity).where(Opportunity.ref == "engine-1"))
    assert (opportunity.title, opportunity.status) == ("Senior Engineer", "closed")
    assert db.session.scalar(select(Application.note)) == "Still love gears."


def test_lines_may_use_rows_already_in_the_database(runner, tmp_path):
    make_user("founder", username="grace")
    lines = [{"kind": "startup", "slug": "cobol", "name": "Cobol Co", "founders": ["grace"]},
             {"kind": "opportunity", "ref": "cobol-1", "startup": "cobol", "title": "Compiler hacker"}]
    result = runner.invoke(args=["import-data", write(tmp_path, lines)])
    assert result.exit_code == 0, result.output
    opportunity = db.session.scalar(select(Opportunity).where(Opportunity.ref == "cobol-1"))
    event = db.session.scalar(select(ActivityEvent).where(ActivityEvent.action_type == "opportunity_posted"))
    assert event.actor.username == "grace" and event.target_id == opportunity.id


# flavour -> (line, words the reason must contain)
BAD_LINES = {
    "bad JSON": ('{"kind": "user", "username": "zed"', "invalid JSON"),
    "not an object": ('["user", "zed"]', "must be a JSON object"),
    "unknown kind": ({"kind": "robot", "name": "R2"}, "unknown kind"),
    "bad enum": (user_line("zed", role="wizard"), "role: Must be one of"),
    "bad stage": ({**GOOD[4], "slug": "other", "stage": "series_z"}, "stage: Must be one of"),
    "missing field": ({k: v for k, v in user_line("zed").items() if k != "email"}, "email: Missing data"),
    "unknown field": (user_line("zed", favourite_colour="blue"), "favourite_colour: Unknown field"),
    "unknown startup": ({**GOOD[5], "ref": "nowhere-1", "startup": "nowhere"}, "unknown startup 'nowhere'"),
    "unknown user": ({"kind": "follow", "follower": "nobody", "user": "ada"}, "unknown user 'nobody'"),
    "unknown opportunity": ({"kind": "application", "user": "bob", "opportunity": "nope-1"}, "unknown opportunity"),
    "defined on a later line": ({"kind": "follow", "follower": "bob", "user": "late"}, "unknown user 'late'"),
    "closed opportunity": ({"kind": "application", "user": "bob", "opportunity": "closed-1"}, "closed"),
    "taken email": ({**user_line("zed"), "email": "ada@example.com"}, "email: An account with this email exists"),
    "moved opportunity": ({**GOOD[5], "startup": "other-co"}, "cannot move"),
}


@pytest.mark.parametrize("flavour", BAD_LINES)
def test_one_bad_line_writes_nothing_and_names_the_line(runner, tmp_path, flavour):
    assert runner.invoke(args=["import-data", write(tmp_path, GOOD)]).exit_code == 0
    before = table_counts()
    # Valid lines around the bad one: they create, update and reference rows, all to be undone.
    lines = [
        user_line("new1", name="New One"),
        {**GOOD[2], "headline": "Changed"},
        {**GOOD[5], "ref": "closed-1", "status": "closed"},
        {"kind": "startup", "slug": "other-co", "name": "Other", "founders": ["new1"]},
        BAD_LINES[flavour][0],
        user_line("late"),
        {"kind": "follow", "follower": "new1", "user": "ada"},
    ]
    result = runner.invoke(args=["import-data", write(tmp_path, lines, "bad.jsonl")])
    assert result.exit_code != 0
    assert "line 5: " in result.output, result.output
    assert BAD_LINES[flavour][1] in result.output.split("line 5: ")[1].splitlines()[0]
    assert "nothing was written" in result.output
    assert table_counts() == before
    assert user("new1") is None and user("bob").headline == ""


def test_every_malformed_line_is_reported(runner, tmp_path):
    # Blank lines count: line numbers are those an editor shows.
    lines = [GOOD[0], "{oops", GOOD[1], user_line("x", role="alien"), "", {"kind": "user"}]
    result = runner.invoke(args=["import-data", write(tmp_path, lines)])
    assert result.exit_code != 0
    reported = [line.split(":")[0] for line in result.output.splitlines() if line.startswith("line ")]
    assert reported == ["line 2", "line 4", "line 6"]
    assert "role: Must be one of" in result.output
    assert table_counts()["users"] == 0


def test_a_file_of_blank_lines_imports_nothing(runner, tmp_path):
    result = runner.invoke(args=["import-data", write(tmp_path, ["", "   ", ""])])
    assert result.exit_code == 0
    assert "Imported 0 lines." in result.output


def test_undecodable_bytes_are_a_bad_line_not_a_crash(runner, tmp_path):
    path = tmp_path / "binary.jsonl"
    path.write_bytes(json.dumps(GOOD[0]).encode() + b"\n\xff\xfe\x00\n")
    result = runner.invoke(args=["import-data", str(path)])
    assert result.exit_code != 0
    assert "line 2: not valid UTF-8" in result.output
    assert table_counts()["users"] == 0


def test_lines_can_come_from_stdin_with_windows_line_endings(runner):
    data = "\r\n".join(json.dumps(line) for line in GOOD[:3]) + "\r\n"
    result = runner.invoke(args=["import-data", "-"], input=data.encode())
    assert result.exit_code == 0, result.output
    assert {u.username for u in db.session.scalars(select(User))} == {"ada", "charles", "bob"}
