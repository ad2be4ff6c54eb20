"""The designation kind 四川省民营企业100强 (codes.DESIGNATION_KINDS), for databases whose code
tables were loaded before it was added. Written out here rather than through codes.load, so
that this migration keeps doing the same thing whatever codes.py says later."""

from django.db import migrations

KIND = "designation_kind"
NAME = "四川省民营企业100强"


def add(apps, schema_editor):
    CodeItem = apps.get_model("registry", "CodeItem")
    BusinessLine = apps.get_model("core", "BusinessLine")
    if CodeItem.objects.filter(kind=KIND, name=NAME).exists():
        return
    CodeItem.objects.create(
        kind=KIND,
        name=NAME,
        code="private_100",
        line=BusinessLine.objects.filter(code="feigong").first(),
        aliases="四川民营企业100强、省民营企业100强",
        order=5,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_importjob_options"),
    ]

    operations = [
        migrations.RunPython(add, migrations.RunPython.noop),
    ]
