"""Importing records, in the menu."""

from keywork import access
from keywork.core.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Import", "imports:imports", access.Capability.IMPORT, place=90)],
)
