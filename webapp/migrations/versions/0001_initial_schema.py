"""Initial schema: every table as of the first release.

Revision ID: 0001
Revises:
Create Date: 2026-12-01 23:29:28.687673

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lab_exchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trace", sa.String(length=40), nullable=False),
        sa.Column("source_lane", sa.String(length=12), nullable=False),
        sa.Column("target_lane", sa.String(length=12), nullable=False),
        sa.Column("endpoint", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("raw_request", sa.Text(), nullable=False),
        sa.Column("raw_response", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_exchange")),
    )
    with op.batch_alter_table("lab_exchange", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lab_exchange_started_at"), ["started_at"], unique=False
        )
        batch_op.create_index("ix_lab_exchange_trace", ["trace", "started_at"], unique=False)

    op.create_table(
        "login_claim",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_login_claim")),
    )
    op.create_table(
        "sandbox_access_token",
        sa.Column("token", sa.String(length=160), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_sandbox_access_token")),
    )
    with op.batch_alter_table("sandbox_access_token", schema=None) as batch_op:
        batch_op.create_index("ix_sandbox_access_token_app", ["appid", "kind"], unique=False)

    op.create_table(
        "sandbox_auth_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_auth_setting")),
        sa.UniqueConstraint(
            "appid", "persona", "scope", name=op.f("uq_sandbox_auth_setting_appid")
        ),
    )
    op.create_table(
        "sandbox_fault",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("api", sa.String(length=40), nullable=False),
        sa.Column("errcode", sa.Integer(), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_fault")),
    )
    with op.batch_alter_table("sandbox_fault", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sandbox_fault_api"), ["api"], unique=False)

    op.create_table(
        "sandbox_one_time_code",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=True),
        sa.Column("snapshot", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sandbox_one_time_code")),
    )
    op.create_table(
        "sandbox_quota_counter",
        sa.Column("api", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "api", "subject", "window_start", name=op.f("pk_sandbox_quota_counter")
        ),
    )
    op.create_table(
        "sandbox_session_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_session_key")),
    )
    with op.batch_alter_table("sandbox_session_key", schema=None) as batch_op:
        batch_op.create_index("ix_sandbox_session_key_owner", ["appid", "persona"], unique=False)

    op.create_table(
        "sandbox_web_denial",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("denied_at", sa.DateTime(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_web_denial")),
    )
    with op.batch_alter_table("sandbox_web_denial", schema=None) as batch_op:
        batch_op.create_index("ix_sandbox_web_denial_owner", ["appid", "persona"], unique=False)

    op.create_table(
        "sandbox_web_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_web_grant")),
    )
    with op.batch_alter_table("sandbox_web_grant", schema=None) as batch_op:
        batch_op.create_index("ix_sandbox_web_grant_owner", ["appid", "persona"], unique=False)

    op.create_table(
        "sandbox_web_token",
        sa.Column("access_token", sa.String(length=160), nullable=False),
        sa.Column("refresh_token", sa.String(length=160), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("persona", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("snapshot", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("refresh_expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("access_token", name=op.f("pk_sandbox_web_token")),
        sa.UniqueConstraint("refresh_token", name=op.f("uq_sandbox_web_token_refresh_token")),
    )
    with op.batch_alter_table("sandbox_web_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sandbox_web_token_persona"), ["persona"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unionid", sa.String(length=64), nullable=True),
        sa.Column("nickname", sa.String(length=64), nullable=True),
        sa.Column("avatar_id", sa.String(length=32), nullable=True),
        sa.Column("avatar_url", sa.String(length=512), nullable=True),
        sa.Column("phone_number", sa.String(length=32), nullable=True),
        sa.Column("pure_phone_number", sa.String(length=32), nullable=True),
        sa.Column("phone_country_code", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("unionid", name=op.f("uq_user_account_unionid")),
    )
    op.create_table(
        "wechat_access_token",
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("token", sa.String(length=512), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("appid", name=op.f("pk_wechat_access_token")),
    )
    op.create_table(
        "avatar",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_avatar_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_avatar")),
    )
    with op.batch_alter_table("avatar", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_avatar_user_id"), ["user_id"], unique=False)

    op.create_table(
        "identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("unionid", sa.String(length=64), nullable=True),
        sa.Column("session_key", sa.String(length=64), nullable=True),
        sa.Column("session_key_updated_at", sa.DateTime(), nullable=True),
        sa.Column("nickname", sa.String(length=64), nullable=True),
        sa.Column("avatar_url", sa.String(length=512), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_identity_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity")),
        sa.UniqueConstraint("appid", "openid", name=op.f("uq_identity_appid")),
    )
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_user_id"), ["user_id"], unique=False)

    op.create_table(
        "webview_ticket",
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_webview_ticket_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("ticket_hash", name=op.f("pk_webview_ticket")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoke_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["identity_id"], ["identity.id"], name=op.f("fk_api_token_identity_id_identity")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_api_token_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["identity_id"], ["identity.id"], name=op.f("fk_web_session_identity_id_identity")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_web_session_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_session_token_hash")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))

    op.drop_table("web_session")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    op.drop_table("webview_ticket")
    with op.batch_alter_table("identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_user_id"))

    op.drop_table("identity")
    with op.batch_alter_table("avatar", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_avatar_user_id"))

    op.drop_table("avatar")
    op.drop_table("wechat_access_token")
    op.drop_table("user_account")
    with op.batch_alter_table("sandbox_web_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_web_token_persona"))

    op.drop_table("sandbox_web_token")
    with op.batch_alter_table("sandbox_web_grant", schema=None) as batch_op:
        batch_op.drop_index("ix_sandbox_web_grant_owner")

    op.drop_table("sandbox_web_grant")
    with op.batch_alter_table("sandbox_web_denial", schema=None) as batch_op:
        batch_op.drop_index("ix_sandbox_web_denial_owner")

    op.drop_table("sandbox_web_denial")
    with op.batch_alter_table("sandbox_session_key", schema=None) as batch_op:
        batch_op.drop_index("ix_sandbox_session_key_owner")

    op.drop_table("sandbox_session_key")
    op.drop_table("sandbox_quota_counter")
    op.drop_table("sandbox_one_time_code")
    with op.batch_alter_table("sandbox_fault", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_fault_api"))

    op.drop_table("sandbox_fault")
    op.drop_table("sandbox_auth_setting")
    with op.batch_alter_table("sandbox_access_token", schema=None) as batch_op:
        batch_op.drop_index("ix_sandbox_access_token_app")

    op.drop_table("sandbox_access_token")
    op.drop_table("login_claim")
    with op.batch_alter_table("lab_exchange", schema=None) as batch_op:
        batch_op.drop_index("ix_lab_exchange_trace")
        batch_op.drop_index(batch_op.f("ix_lab_exchange_started_at"))

    op.drop_table("lab_exchange")
