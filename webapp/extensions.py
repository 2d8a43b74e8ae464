"""Flask extensions, created here and bound to the app in create_app."""

import os

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so a migration can find and change one later (SQLite's batch mode needs it).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Helpers flush, views commit; README's "Who commits" names the exceptions.
db = SQLAlchemy(model_class=Base)
# render_as_batch: SQLite cannot ALTER most things, so migrations copy and swap its tables.
migrate = Migrate(directory=MIGRATIONS, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
