from django.db import migrations, models


def keep_what_new_plans_used(apps, schema_editor):
    # Before the choice existed, new plans took the organisation's first own framework
    # (by name) that was not archived; record that as the organisation's choice.
    Framework = apps.get_model("outcomes", "Framework")
    seen = set()
    for framework in Framework.objects.filter(
        organisation__isnull=False, archived_at=None
    ).order_by("organisation_id", "name", "pk"):
        if framework.organisation_id not in seen:
            seen.add(framework.organisation_id)
            framework.used_for_new_plans = True
            framework.save(update_fields=["used_for_new_plans"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0003_rating")]

    operations = [
        migrations.AddField(
            model_name="framework",
            name="used_for_new_plans",
            field=models.BooleanField(default=False, verbose_name="used for new support plans"),
        ),
        migrations.AddField(
            model_name="framework",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.RunPython(keep_what_new_plans_used, migrations.RunPython.noop),
    ]
