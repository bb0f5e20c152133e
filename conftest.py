import pytest

from keywork.testing.personas import World, build_world, signed_in_client

# Chromium, its pages and the live server, for every browser test wherever it lives.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path):
    # Uploads made by tests never land in the developer's own var/ folder.
    settings.KEYWORK_PRIVATE_DIR = tmp_path / "private"


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for(world):
    """client_for("worker") or client_for(user): a client signed in as that person."""

    def make(who):
        user = world.persona(who) if isinstance(who, str) else who
        return signed_in_client(user)

    return make


@pytest.fixture
def episode(world):
    """Ruth Ellis, supported in the worker's service for the last 20 days."""
    from datetime import timedelta

    from django.utils import timezone

    from keywork.people import services as people

    person = people.person_create(actor=world.worker, first_name="Ruth", last_name="Ellis")
    referral = people.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=30),
        source="self",
        reason="r",
    )
    return people.referral_accept(
        actor=world.worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=20),
        key_worker=world.worker,
    )
