from django.db import migrations


def create(apps, schema_editor):
    from keywork.outcomes import default_framework as spec

    Framework = apps.get_model("outcomes", "Framework")
    Domain = apps.get_model("outcomes", "Domain")
    Stage = apps.get_model("outcomes", "Stage")
    framework, created = Framework.objects.get_or_create(
        organisation=None, name=spec.NAME, defaults={"description": spec.DESCRIPTION}
    )
    if not created:
        return
    for position, (name, description) in enumerate(spec.DOMAINS):
        Domain.objects.create(framework=framework, name=name, description=description, position=position)
    for label, description, low, high in spec.STAGES:
        Stage.objects.create(framework=framework, label=label, description=description, low=low, high=high)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
