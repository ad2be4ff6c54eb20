from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_edit_versions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["name_simplified", "birth_date"], name="person_name_birth_idx"
            ),
        ),
    ]
