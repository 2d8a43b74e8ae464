"""``flask wechat ...``: the developer server's WeChat tools from the shell."""

import json

import click
from flask.cli import AppGroup

from webapp.wechat import crypto

wechat_cli = AppGroup("wechat", help="The developer server's side of WeChat.")


@wechat_cli.command("decrypt")
@click.option("--appid", required=True, help="The appid the watermark must name.")
@click.option("--session-key", required=True, help="The session_key from code2Session.")
@click.option("--iv", required=True, help="The iv the mini-program sent.")
@click.option("--data", required=True, help="The encryptedData the mini-program sent.")
@click.option(
    "--max-age",
    type=click.IntRange(min=0),
    default=None,
    help="Reject data whose watermark is older than this many seconds.",
)
def decrypt_command(appid, session_key, iv, data, max_age):
    """Decrypt open data (encryptedData + iv) and print its JSON, or say why it failed."""
    try:
        plaintext = crypto.decrypt(session_key, data, iv, appid, max_age=max_age)
    except crypto.OpenDataError as error:
        click.echo(str(error), err=True)
        click.echo(f"likely cause: {error.likely_cause}", err=True)
        # Exit 1, not click's usage error 2: the arguments were well formed, the data was not.
        click.get_current_context().exit(1)
    click.echo(json.dumps(plaintext, ensure_ascii=False, indent=2))
