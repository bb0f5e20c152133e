"""The home page's own place in the menu."""

from keywork.core.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(menu=[MenuItem("Home", "home:home", None, place=0)])
