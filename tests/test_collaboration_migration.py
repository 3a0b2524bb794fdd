"""Migration 0008: the collaboration tables go up and down, and match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from webapp import create_app
from webapp.extensions import db
from webapp.search.ddl import include_object

from .test_platform import _migration_url

TABLES = {"team_invitations", "startup_updates", "saved_items"}


# SQLite cannot reflect the expression index on users; it is not one of ours.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_collaboration_tables_go_up_and_down_and_match_the_models(tmp_path):
    app = create_app({"DATABASE_URL": _migration_url(tmp_path), "TESTING": True, "REDIS_URL": None})
    with app.app_context():
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("team_invitations")}
        assert indexes["uq_team_invitations_pending"]["unique"]
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": include_object,
                                                                   "compare_type": False})
            ours = [diff for diff in compare_metadata(context, db.metadata) if any(t in str(diff) for t in TABLES)]
        assert ours == []
        downgrade(revision="0008-1")  # whatever precedes 0008 once the chain is merged
        assert not TABLES & set(inspect(db.engine).get_table_names())
        upgrade()
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
