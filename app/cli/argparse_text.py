"""argparse's own words (`usage:`, `options`, its error messages) in the command's language.

argparse looks its strings up through the module-level names `_` and `ngettext`, which it takes
from the gettext module (domain `messages`, compiled `.mo` files, the process's locale). Pointing
those two names at app.i18n sends them through our catalogues and the language chosen for the
command instead. The strings below are the ones argparse (Python 3.11 and later) shows a person;
they are listed here so that `make messages` extracts them. One argparse does not list here (a
programming error such as a conflicting option) comes out in English, as argparse writes it.
"""

from __future__ import annotations

import argparse

from app.i18n import N_, gettext, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("can't open '%(filename)s': %(error)s"),
)


def install() -> None:
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
