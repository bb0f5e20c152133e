from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from keywork.notes import search
from keywork.notes.models import FileNote
from keywork.organisations.models import Organisation
from keywork.people.models import Episode, Person


def test_seed_scale_makes_a_searchable_organisation_and_says_how_far_it_has_got(db):
    out = StringIO()
    call_command("seed_scale", people=120, batch=50, stdout=out)
    org = Organisation.objects.get(name="Scale 120")
    assert Person.objects.filter(organisation=org).count() == 120
    assert Episode.objects.filter(organisation=org).count() == 120
    assert FileNote.objects.filter(organisation=org).count() > 120
    from keywork.housing.models import Tenancy

    in_houses = Episode.objects.filter(
        organisation=org, end_date=None, service__type="accommodation"
    )
    assert Tenancy.objects.filter(episode__in=in_houses).count() == in_houses.count() > 0
    assert "people 50 of 120" in out.getvalue() and "people 120 of 120" in out.getvalue()
    found, total = search.search(FileNote.objects.filter(organisation=org), "xylophonist", 10)
    assert total == 1 and "<mark>xylophonist</mark>" in found[0][1]
    with pytest.raises(CommandError):
        call_command("seed_scale", people=120, stdout=StringIO())
