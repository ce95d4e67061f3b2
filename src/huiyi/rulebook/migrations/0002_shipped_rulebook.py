"""Remember which shipped standard.yaml each version descends from, so a Huiyi upgrade can bring a changed
standard into an installation without overwriting the organisation's own values. Version 1 of an existing
installation was made from the standard shipped then: it is recorded as that shipped standard."""

from django.db import migrations, models


def record_first_shipped(apps, schema_editor):
    RulebookVersion = apps.get_model("rulebook", "RulebookVersion")
    ShippedRulebook = apps.get_model("rulebook", "ShippedRulebook")
    first = RulebookVersion.objects.filter(number=1).first()
    if first is None:
        return
    ShippedRulebook.objects.get_or_create(digest=first.digest, defaults={"data": first.data})
    RulebookVersion.objects.filter(shipped_digest="").update(shipped_digest=first.digest)


class Migration(migrations.Migration):
    dependencies = [("rulebook", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="rulebookversion",
            name="shipped_digest",
            field=models.CharField(
                blank=True,
                help_text="Digest of the standard.yaml shipped with Huiyi that this version was made from.",
                max_length=64,
                verbose_name="standard it descends from",
            ),
        ),
        migrations.CreateModel(
            name="ShippedRulebook",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=64, unique=True, verbose_name="digest")),
                ("data", models.JSONField(verbose_name="rules")),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
            ],
            options={
                "verbose_name": "shipped standard",
                "verbose_name_plural": "shipped standards",
                "ordering": ["-recorded_at", "-pk"],
            },
        ),
        migrations.RunPython(record_first_shipped, migrations.RunPython.noop),
    ]
