"""The audit, in the menu."""

from keywork import access
from keywork.core.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Audit", "audit:search", access.Capability.AUDIT_VIEW, place=100)],
)
