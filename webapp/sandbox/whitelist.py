"""The caller-IP whitelist WeChat lets each app keep ("IP 白名单"), off unless configured.

SANDBOX_IP_WHITELIST lists, per appid, the addresses or networks allowed to fetch its tokens:
``wx5d1c4a0f3e2b7a91=203.0.113.7,10.0.0.0/8; wx8e2f6b3d1a4c7e05=203.0.113.7``. An app that is
not listed has no whitelist. A call from anywhere else answers 40164 with the caller's IP, as a
backend deployed to a new server meets it. Which APIs check it is the sandbox's choice: the
three that trade the app secret for a token (cgi-bin/token, cgi-bin/stable_token,
sns/oauth2/access_token).
"""

import ipaddress

from flask import current_app, request

from webapp.sandbox.errcodes import ErrcodeAnswer

EXTENSION = "sandbox_ip_whitelist"


def parse(text):
    """{appid: (networks...)} from the setting's text; ValueError naming what is wrong."""
    rules = {}
    for entry in filter(None, (part.strip() for part in text.split(";"))):
        appid, separator, addresses = entry.partition("=")
        if not separator or not appid.strip():
            raise ValueError(f"SANDBOX_IP_WHITELIST: {entry!r} is not appid=ip,ip")
        try:
            networks = tuple(
                ipaddress.ip_network(address.strip(), strict=False)
                for address in addresses.split(",")
                if address.strip()
            )
        except ValueError as error:
            raise ValueError(f"SANDBOX_IP_WHITELIST: {error}") from None
        rules[appid.strip()] = networks
    return rules


def init_app(app):
    try:
        app.extensions[EXTENSION] = parse(app.config["SANDBOX_IP_WHITELIST"])
    except ValueError as error:
        raise RuntimeError(f"Refusing to start with these settings:\n  - {error}") from None


def check_caller(appid):
    """Raise 40164 if the app keeps a whitelist and the caller's address is not on it."""
    allowed = current_app.extensions.get(EXTENSION, {}).get(appid)
    if allowed is None:
        return
    caller = ipaddress.ip_address(request.remote_addr or "0.0.0.0")
    if any(caller in network for network in allowed):
        return
    if caller.version == 4:
        text = f"invalid ip {caller} ipv6 ::ffff:{caller}, not in whitelist"
    else:
        text = f"invalid ip {caller}, not in whitelist"
    raise ErrcodeAnswer(40164, text)
