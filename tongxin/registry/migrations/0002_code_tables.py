"""The initial code tables: the 12 categories, GB/T 3304 ethnicities, GB/T 4762 political status…"""

from django.db import migrations

from tongxin.registry import codes


def load(apps, schema_editor):
    codes.load(apps.get_model("registry", "CodeItem"), apps.get_model("core", "BusinessLine"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial"), ("core", "0002_business_lines")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
