"""Show the project's own source files, so each timeline step can link to the code that ran."""

import os

from webapp.lab.recorder import PROJECT_ROOT

SHOWN_FOLDERS = ("webapp/", "static/js/", "templates/", "miniprogram/")
SHOWN_SUFFIXES = (".py", ".js", ".html", ".wxml", ".wxss", ".json")


def read(path):
    """Return the lines of a project file under a shown folder, or None."""
    normalised = os.path.normpath(path).replace(os.sep, "/")
    if normalised.startswith("..") or not normalised.startswith(SHOWN_FOLDERS):
        return None
    if not normalised.endswith(SHOWN_SUFFIXES):
        return None
    full = os.path.join(PROJECT_ROOT, normalised)
    if not os.path.isfile(full):
        return None
    with open(full, encoding="utf-8") as handle:
        return handle.read().splitlines()
