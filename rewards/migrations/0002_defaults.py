"""Sensible defaults for a new site: earning rules, levels and badges."""

from django.db import migrations

RULES = [
    # trigger, points, daily cap
    ("idea_published", 10, 50),
    ("first_idea", 20, None),
    ("support_received", 2, 100),
    ("support_given", 1, 20),
    ("comment_posted", 2, 20),
    ("threshold_reached", 50, None),
    ("shortlisted", 100, None),
    ("promoted", 250, None),
    ("shipped", 500, None),
]

LEVELS = [
    ("Newcomer", 0),
    ("Contributor", 50),
    ("Co-creator", 250),
    ("Innovator", 1000),
    ("Visionary", 5000),
]

BADGES = [
    ("first_idea", "First idea", "Published a first idea.", "💡"),
    ("first_support_received", "First fan", "Received a first support.", "👍"),
    ("first_comment", "Conversation starter", "Posted a first comment.", "💬"),
    ("ten_ideas", "Idea machine", "Published ten ideas.", "🔟"),
    ("hundred_supports_given", "Supporter", "Supported 100 ideas.", "🤝"),
    ("idea_shortlisted", "Shortlisted", "Had an idea shortlisted.", "⭐"),
    ("idea_in_rnd", "In the lab", "Had an idea promoted into R&D.", "🧪"),
    ("idea_shipped", "Shipped", "Had an idea turned into a product.", "🚀"),
]


def install(apps, schema_editor):
    EarningRule = apps.get_model("rewards", "EarningRule")
    Level = apps.get_model("rewards", "Level")
    Badge = apps.get_model("rewards", "Badge")
    for trigger, points, cap in RULES:
        EarningRule.objects.get_or_create(
            trigger=trigger, defaults={"points": points, "daily_cap": cap}
        )
    for name, threshold in LEVELS:
        Level.objects.get_or_create(threshold=threshold, defaults={"name": name})
    for milestone, name, description, symbol in BADGES:
        Badge.objects.get_or_create(
            milestone=milestone,
            defaults={"name": name, "description": description, "symbol": symbol},
        )


def remove(apps, schema_editor):
    for model in ("EarningRule", "Level", "Badge"):
        apps.get_model("rewards", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
