import pytest

from keywork.testing.personas import World, build_world, signed_in_client


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
