"""Import every model so that the metadata knows all tables (used by init-db)."""

from webapp.accounts import models as account_models  # noqa: F401
from webapp.lab import models as lab_models  # noqa: F401
from webapp.sandbox import models as sandbox_models  # noqa: F401
from webapp.wechat import access_token  # noqa: F401
