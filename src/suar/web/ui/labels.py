"""Translatable names of things the UI shows by code (roles, error codes)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from suar.access import Role
from suar.web.i18n import N_

#: Each role's name in the UI.
ROLE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        Role.ANALYST.value: N_("Analyst"),
        Role.INVESTIGATOR.value: N_("Investigator"),
        Role.PROTECTION_OFFICER.value: N_("Protection officer"),
        Role.LIAISON.value: N_("Liaison officer"),
        Role.AUDITOR.value: N_("Auditor"),
        Role.ADMIN.value: N_("Administrator"),
    }
)

#: Titles of error pages, by HTTP status.
ERROR_TITLES: Final[Mapping[int, str]] = MappingProxyType(
    {
        400: N_("The request cannot be processed"),
        403: N_("You may not do this"),
        404: N_("Page not found"),
        405: N_("This page does not take this kind of request"),
        429: N_("Too many attempts"),
        500: N_("Something went wrong on the node"),
        503: N_("The node's database is unavailable"),
    }
)

#: What an error page says, by error code; other codes show the error's own message.
ERROR_MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "access_denied": N_("Your roles do not allow this page or action."),
        "csrf_failed": N_(
            "The form has expired or did not come from this site. Go back, reload the page "
            "and try again."
        ),
        "not_found": N_("There is nothing at this address."),
        "method_not_allowed": N_("Use the links and forms of the pages."),
        "validation_error": N_("The form is not valid."),
        "internal_error": N_("The node's log has the details. Try again later."),
        "store_error": N_("Try again later."),
        "schema_out_of_date": N_("An administrator must run “suar db upgrade”."),
    }
)
