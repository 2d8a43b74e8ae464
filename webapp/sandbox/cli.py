"""``flask sandbox ...``: fault injection and a look at the personas from the shell."""

import click
from flask.cli import AppGroup

from webapp.sandbox import faults
from webapp.sandbox.directory import APPS, PERSONAS, openid

sandbox_cli = AppGroup("sandbox", help="The sandbox WeChat.")


# ignore_unknown_options: let a negative ERRCODE such as -1 through as an argument.
@sandbox_cli.command("fault", context_settings={"ignore_unknown_options": True})
@click.argument("api", type=click.Choice(faults.INJECTABLE_APIS))
@click.argument("errcode", type=int)
@click.option("--times", default=1, show_default=True, help="How many calls answer errcode.")
def fault_command(api, errcode, times):
    """Make the next calls of API answer ERRCODE (for example: jscode2session -1)."""
    try:
        faults.inject(api, errcode, times)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    click.echo(f"The next {times} call(s) of {api} answer errcode {errcode}.")


@sandbox_cli.command("faults")
@click.option("--clear", is_flag=True, help="Remove every pending fault.")
def faults_command(clear):
    """List pending faults, or remove them."""
    if clear:
        click.echo(f"Removed {faults.clear()} fault(s).")
        return
    pending = faults.pending()
    for fault in pending:
        click.echo(f"{fault.api}: errcode {fault.errcode} for {fault.remaining} more call(s)")
    if not pending:
        click.echo("No pending faults.")


@sandbox_cli.command("users")
def users_command():
    """List the personas and their openid in each app."""
    for persona in PERSONAS.values():
        flag = "  (high-risk)" if persona.high_risk else ""
        click.echo(f"{persona.id}: {persona.nickname}{flag}")
        for app in APPS.values():
            click.echo(f"    {app.appid} {openid(app, persona)}  {app.name}")
