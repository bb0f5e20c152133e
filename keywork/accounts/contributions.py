"""The staff list's place in the menu."""

from keywork import access
from keywork.core.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Staff", "accounts:staff_list", access.Capability.STAFF_VIEW, place=70)],
)
