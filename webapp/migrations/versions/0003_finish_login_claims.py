"""Login claims record when their login finished.

A claim left unfinished past its lease belongs to a request that died, and may be taken over
(webapp/accounts/login_claims.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 00:17:17.952386
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("login_claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("login_claim", schema=None) as batch_op:
        batch_op.drop_column("finished_at")
