"""The staff list, the organisation's set-up and the audit, in the menu."""

from keywork import access
from keywork.core.contributions import Contributions, MenuItem

C = access.Capability

CONTRIBUTIONS = Contributions(
    menu=[
        MenuItem("Staff", "administration:staff_list", C.STAFF_VIEW, place=70),
        MenuItem(
            "Organisation set-up", "administration:organisation", C.ORGANISATION_MANAGE, place=80
        ),
        MenuItem("Audit", "administration:audit", C.AUDIT_VIEW, place=100),
    ],
)
