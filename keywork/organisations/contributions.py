"""The organisation's set-up in the menu."""

from keywork import access
from keywork.core.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    menu=[
        MenuItem(
            "Organisation set-up",
            "organisations:overview",
            access.Capability.ORGANISATION_MANAGE,
            place=80,
        )
    ],
)
