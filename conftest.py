import pytest

from keywork.testing.personas import World, build_world, signed_in_client


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
