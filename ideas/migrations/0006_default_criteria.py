"""The default scoring criteria, after the panels that judged Open Oxylane ideas."""

from django.db import migrations

CRITERIA = [
    ("Benefit", "How much does it improve the product for the people who use it?", 3),
    ("Feasibility", "How readily can we design and make it?", 2),
    ("Time to market", "How soon could it reach customers?", 1),
    ("Desirability", "How many customers would want it?", 2),
]


def create_criteria(apps, schema_editor):
    Criterion = apps.get_model("ideas", "Criterion")
    for position, (name, question, weight) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            name=name,
            defaults={
                "description": question,
                "weight": weight,
                "scale": 5,
                "position": position,
            },
        )


def remove_criteria(apps, schema_editor):
    apps.get_model("ideas", "Criterion").objects.filter(
        name__in=[name for name, _question, _weight in CRITERIA], scores__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ideas", "0005_product_team")]

    operations = [migrations.RunPython(create_criteria, remove_criteria)]
