"""Privacy agreements, the phone-number quota, and forced stable_token refreshes.

The sandbox keeps a persona's agreement to a mini-program's privacy guide, counts the paid
getPhoneNumber calls of each mini-program, and records when a forced stable_token refresh
killed the previous token.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:16:34.041877

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sandbox_phone_number_quota",
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("appid", name=op.f("pk_sandbox_phone_number_quota")),
    )
    op.create_table(
        "sandbox_privacy_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("agreed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_privacy_agreement")),
        sa.UniqueConstraint("appid", "persona", name=op.f("uq_sandbox_privacy_agreement_appid")),
    )
    with op.batch_alter_table("sandbox_access_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invalidated_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("sandbox_access_token", schema=None) as batch_op:
        batch_op.drop_column("invalidated_at")

    op.drop_table("sandbox_privacy_agreement")
    op.drop_table("sandbox_phone_number_quota")
