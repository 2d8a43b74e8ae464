"""Who holds the phone: the persona the ``sandbox_user`` cookie names.

The lab's persona switcher sets the cookie. The sandbox's phone endpoints, its authorize page
and the lab's panels all read it here, so the phone, the web-view and the panels agree.
"""

from flask import request

from webapp.sandbox.directory import DEFAULT_PERSONA, PERSONAS

PERSONA_COOKIE = "sandbox_user"


def persona_id(asked=None):
    """The persona asked for by name (a phone call's ``user``), else the cookie's, else the
    default one. Not checked: the caller decides what an unknown name means."""
    return asked or request.cookies.get(PERSONA_COOKIE) or DEFAULT_PERSONA


def holding_the_phone():
    """The persona holding the phone, for a page: an unknown cookie is the default persona."""
    return PERSONAS.get(persona_id()) or PERSONAS[DEFAULT_PERSONA]
