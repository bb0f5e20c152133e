"""Ages: how old each person is, on the person's page and the caseloads, and the day they
were born on their timeline."""

from django.db.models import F, QuerySet
from django.utils import timezone

from keywork import access
from keywork.core.contributions import Contributions, HomePanel, PersonPanel
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.people.models import Episode, Person
from keywork.people.selectors import CaseloadColumn


def _age(born) -> str:
    if born is None:
        return "Not known"
    today = timezone.localdate()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{years} years old"


def _birthday_sources(fetched_by, person: Person) -> list[Source]:
    born = Person.objects.filter(pk=person.pk).exclude(date_of_birth=None)

    def show(p: Person) -> Shown:
        return ("Born", p.date_of_birth.strftime("%d/%m/%Y"), "")

    return [
        Source(
            "birthday",
            born,
            StartOf("date_of_birth"),
            lambda ids: shown_by_id(born.filter(pk__in=ids), show),
        )
    ]


def _with_birth_date(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.annotate(example_born=F("person__date_of_birth"))


def _birthdays_this_month(user) -> dict | None:
    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    month = timezone.localdate().month
    born = access.people_visible_to(user).filter(date_of_birth__month=month)
    return {"count": born.count()}


CONTRIBUTIONS = Contributions(
    home_panels=[HomePanel("example_area/birthdays.html", _birthdays_this_month)],
    timeline=[TimelineKind("birthday", "Birthdays", _birthday_sources, place=5)],
    caseload_columns=[
        CaseloadColumn("Age", _with_birth_date, lambda e: (_age(e.example_born), ""), place=15)
    ],
    person_panels=[
        PersonPanel(
            "example_area/age.html",
            lambda user, person: {"age": _age(person.date_of_birth)},
        )
    ],
)
