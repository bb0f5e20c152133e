"""The sections the areas add to the home page ("home_panels")."""

from typing import Any

from keywork.accounts.models import User
from keywork.core.contributions import panels_for


def home_panels(user: User) -> list[dict[str, Any]]:
    """Each area's section for this user, leaving out those with nothing to show them."""
    return panels_for("home_panels", user)
