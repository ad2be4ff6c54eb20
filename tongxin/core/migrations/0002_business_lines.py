"""The department's business lines (条线) are domain data every install needs."""

from django.db import migrations

LINES = [
    ("xinjie", "新阶", "新的社会阶层人士统战工作"),
    ("dangpai", "党派", "多党合作和党外代表人士工作"),
    ("minzong", "民族宗教", "民族和宗教工作"),
    ("feigong", "非公经济", "非公有制经济人士统战工作"),
    ("gangaotaiqiao", "港澳台侨", "港澳台和海外统战工作"),
    ("ganbu", "干部", "党外干部工作"),
    ("xuanchuan", "宣传", "统战宣传和信息工作"),
    ("bangongshi", "办公室", "办公室综合工作"),
]


def add_lines(apps, schema_editor):
    BusinessLine = apps.get_model("core", "BusinessLine")
    for order, (code, name, full_name) in enumerate(LINES):
        BusinessLine.objects.update_or_create(
            code=code, defaults={"name": name, "full_name": full_name, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_lines, migrations.RunPython.noop)]
