"""A draft of a file note is kept only by staff who may record on the person."""

import pytest

from keywork.core.errors import NotFoundOrNotAllowed
from keywork.notes import services
from keywork.notes.models import NoteDraft


def test_it_refuses_a_draft_from_someone_who_may_not_record_on_the_person(world, episode):
    for outsider in (world.other_team_worker, world.other_org_worker, world.admin):
        with pytest.raises(NotFoundOrNotAllowed):
            services.draft_save(
                actor=outsider, person=episode.person, subject="Notes", text="About Ruth"
            )
    assert not NoteDraft.objects.exists()


def test_it_keeps_one_draft_per_worker_and_person(world, episode):
    services.draft_save(actor=world.worker, person=episode.person, subject="A", text="First")
    draft = services.draft_save(
        actor=world.worker, person=episode.person, subject="B", text="Second"
    )
    assert NoteDraft.objects.get() == draft and draft.text == "Second"
