"""What training adds to the shared places: the menu, a panel on the home page of
whoever has training expired, expiring or missing, the certificates for the check of a
restored copy, the daily reminders, and the rules on who sees and records training."""

from datetime import date

from django.utils import timezone

from keywork.accounts.models import User
from keywork.core.contributions import Contributions, HomePanel, MenuItem
from keywork.training import permissions, selectors, services


def _attention(user: User) -> dict | None:
    if not selectors.uses_training(user):
        return None
    attention = selectors.my_attention(user, timezone.localdate())
    return {"attention": attention} if attention else None


def _reminders(today: date) -> int:
    return services.send_training_reminders(today)


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Training", "training:home", None, place=80, when=selectors.uses_training)],
    home_panels=[HomePanel("training/_home_attention.html", _attention, place=70)],
    stored_files=[services.stored_files],
    daily_jobs=[_reminders],
    audit_no_one_person=[
        "training.course",
        "training.courserequirement",
        "training.trainingrecord",
        "training.booking",
    ],
    object_rules={
        "training.see": permissions.SEE,
        "training.record": permissions.RECORD,
        "training.catalogue": permissions.CATALOGUE,
        "training.team_matrix": permissions.TEAM_MATRIX,
        "training.organisation_matrix": permissions.ORGANISATION_MATRIX,
    },
)
