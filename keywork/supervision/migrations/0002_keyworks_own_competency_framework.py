from django.db import migrations

from keywork.supervision import default_framework as spec


def make(apps, schema_editor):
    Framework = apps.get_model("supervision", "CompetencyFramework")
    Level = apps.get_model("supervision", "Level")
    Competency = apps.get_model("supervision", "Competency")
    Descriptor = apps.get_model("supervision", "LevelDescriptor")
    Required = apps.get_model("supervision", "RequiredLevel")
    if Framework.objects.filter(organisation=None, name=spec.NAME).exists():
        return
    framework = Framework.objects.create(name=spec.NAME, description=spec.DESCRIPTION)
    for number, label in spec.LEVELS:
        Level.objects.create(framework=framework, number=number, label=label)
    for position, (name, description, descriptors, required) in enumerate(spec.COMPETENCIES):
        competency = Competency.objects.create(
            framework=framework, name=name, description=description, position=position
        )
        for number, text in enumerate(descriptors, 1):
            Descriptor.objects.create(competency=competency, level=number, text=text)
        for role, level in required.items():
            Required.objects.create(competency=competency, role=role, level=level)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(make, migrations.RunPython.noop)]
