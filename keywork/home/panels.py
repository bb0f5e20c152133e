"""The sections the areas add to the home page ("home_panels")."""

from typing import Any

from keywork.accounts.models import User
from keywork.core.contributions import contributed


def home_panels(user: User) -> list[dict[str, Any]]:
    """Each area's section for this user, leaving out those with nothing to show them."""
    panels = []
    for panel in contributed("home_panels"):
        data = panel.context(user)
        if data:
            panels.append({"template": panel.template, "data": data})
    return panels
