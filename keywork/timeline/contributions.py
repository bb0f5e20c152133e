"""The timeline's link on the person's page."""

from keywork.core.contributions import Contributions
from keywork.people.contributions import RecordLink

CONTRIBUTIONS = Contributions(person_links=[RecordLink("Timeline", "timeline:timeline", place=20)])
