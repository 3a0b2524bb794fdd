"""Flask extensions, created unbound and bound to the app in create_app."""

from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sock import Sock
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

from .schemas.outputs import ErrorOut

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class QuietApi(Api):
    """flask-smorest Api that leaves error rendering to webapp.errors."""

    # The OpenAPI document describes errors in the shape webapp.errors renders.
    ERROR_SCHEMA = ErrorOut

    def _register_error_handlers(self):
        # The app renders HTML errors for pages and the SPEC error shape for the API.
        pass


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
cache = Cache()
sock = Sock()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
api = QuietApi()
