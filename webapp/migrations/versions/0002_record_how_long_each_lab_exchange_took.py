"""Record how long each lab exchange took.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 00:08:08.730665

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("lab_exchange", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duration_ms", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("lab_exchange", schema=None) as batch_op:
        batch_op.drop_column("duration_ms")
