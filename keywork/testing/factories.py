"""Factories for tests: whole organisations, services, teams and staff in one call."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.accounts.models import Membership, User
from keywork.organisations.models import Area, Organisation, Service, Team

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.LazyAttribute(lambda o: AreaFactory(organisation=o.organisation))
    name = factory.Sequence(lambda n: f"Service {n}")
    type = Service.Type.ACCOMMODATION


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    email = factory.Sequence(lambda n: f"staff{n}@keywork.test")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


def staff(
    *,
    role: str,
    team: Team | None = None,
    service: Service | None = None,
    organisation: Organisation | None = None,
    full_name: str | None = None,
    with_authenticator: bool = True,
) -> User:
    organisation = organisation or (team or service).organisation
    kwargs = {"organisation": organisation}
    if full_name:
        kwargs["full_name"] = full_name
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=role, team=team, service=service)
    if with_authenticator:
        TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    return user


def supported_person(
    world,
    first_name: str,
    last_name: str = "Test",
    *,
    key_worker=None,
    recorded_by=None,
    service=None,
    date_of_birth=None,
    started=None,
):
    """A person already being supported: recorded, referred and accepted through the
    services (a week ago unless `started` says), with the world's worker as key worker
    unless `key_worker` says. Returns the open episode."""
    from datetime import timedelta

    from django.utils import timezone

    from keywork.people import services as people

    actor = recorded_by or world.worker
    started = started or timezone.localdate() - timedelta(days=7)
    person = people.person_create(
        actor=actor, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    referral = people.referral_create(
        actor=actor,
        person=person,
        service=service or world.service,
        received_on=started,
        source="council",
        reason="Needs somewhere safe to live.",
    )
    return people.referral_accept(
        actor=actor,
        referral=referral,
        start_date=started,
        key_worker=key_worker or world.worker,
    )
