"""Flask extensions, created unbound so that create_app can configure them per app."""

from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Routes commit once and then render what they loaded; expiring on commit would make every
# template access a new query (or, with lazy="raise", an error).
SESSION_OPTIONS = {"expire_on_commit": False}
db = SQLAlchemy(model_class=Base, session_options=dict(SESSION_OPTIONS))
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
htmx = HTMX()
# The client address is only a key into in-memory (or Redis) counters; it is never stored.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
