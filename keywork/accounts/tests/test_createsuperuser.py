import io

import pytest
from django.core.management import CommandError, call_command

from keywork.accounts.models import User


def test_it_refuses_createsuperuser_and_names_create_organisation(db):
    with pytest.raises(CommandError) as refused:
        call_command(
            "createsuperuser",
            interactive=False,
            email="root@keywork.test",
            full_name="Root",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    message = str(refused.value)
    assert "manage.py create_organisation" in message
    assert message.count(". ") == 0  # one sentence
    assert not User.objects.exists()
