from django.db import transaction

from keywork.outcomes import default_framework as spec
from keywork.outcomes.models import Domain, Framework, Stage


@transaction.atomic
def shipped_framework() -> Framework:
    """Keywork's own open framework, made from its specification if it is missing (a
    migration makes it; a database emptied and rebuilt gets it back here)."""
    framework, created = Framework.objects.get_or_create(
        organisation=None, name=spec.NAME, defaults={"description": spec.DESCRIPTION}
    )
    if created:
        Domain.objects.bulk_create(
            Domain(framework=framework, name=name, description=description, position=position)
            for position, (name, description) in enumerate(spec.DOMAINS)
        )
        Stage.objects.bulk_create(
            Stage(framework=framework, label=label, description=description, low=low, high=high)
            for label, description, low, high in spec.STAGES
        )
    return framework
