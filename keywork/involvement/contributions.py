"""What involvement adds to the shared places: the menu, the person's timeline (the
sessions they took part in), a link beside each service to its figures, and the rule on
running it. The open actions a user owns are listed on the involvement page: no kind of
contribution reaches My tasks yet."""

from django.urls import reverse

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, MenuItem, ServiceLink
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.involvement.models import Participation
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _involvement_sources(fetched_by: User, person: Person) -> list[Source]:
    parts = Participation.objects.filter(person=person)

    def show(p: Participation) -> Shown:
        return (
            f"{p.session.get_kind_display()}: {p.session.title}",
            p.get_role_display(),
            reverse("involvement:session", args=[p.session_id]),
        )

    return [
        Source(
            "involvement",
            parts,
            StartOf("session__held_on"),
            lambda ids: shown_by_id(parts.filter(pk__in=ids).select_related("session"), show),
        )
    ]


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Involvement", "involvement:list", access.Capability.CASEWORK, place=62)],
    timeline=[TimelineKind("involvement", "Involvement", _involvement_sources, place=105)],
    service_links=[
        ServiceLink(
            "Involvement figures",
            "involvement:figures",
            access.Capability.AGGREGATE_REPORTS,
            place=60,
        )
    ],
    merge_moves=[MergeMove(Participation, ("session",))],
    audit_no_one_person=[
        "involvement.involvementsession",
        "involvement.involvementaction",
        "involvement.yousaidwedid",
    ],
    object_rules={
        # Running involvement is for everyone doing casework in the service, support
        # assistants too.
        "involvement.run": access.does_casework & access.works_in_service,
    },
)
