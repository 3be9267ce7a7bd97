"""The French text of the default levels and badges (0002_defaults), matched by
their stable keys: a level by its threshold, a badge by its milestone. A text the
brand has already changed (or translated) is left alone."""

from django.db import migrations

LEVELS = {
    # threshold: (English name as installed, French)
    0: ("Newcomer", "Nouveau membre"),
    50: ("Contributor", "Contributeur"),
    250: ("Co-creator", "Co-créateur"),
    1000: ("Innovator", "Innovateur"),
    5000: ("Visionary", "Visionnaire"),
}

BADGES = {
    # milestone: (English name as installed, French name, French description)
    "first_idea": (
        "First idea",
        "Première idée",
        "Vous avez publié votre première idée.",
    ),
    "first_support_received": (
        "First fan",
        "Premier soutien",
        "Votre idée a reçu son premier soutien.",
    ),
    "first_comment": (
        "Conversation starter",
        "Premier échange",
        "Vous avez publié votre premier commentaire.",
    ),
    "ten_ideas": ("Idea machine", "Boîte à idées", "Vous avez publié dix idées."),
    "hundred_supports_given": (
        "Supporter",
        "Grand soutien",
        "Vous avez soutenu 100 idées.",
    ),
    "idea_shortlisted": (
        "Shortlisted",
        "Présélectionnée",
        "L’une de vos idées a été présélectionnée.",
    ),
    "idea_in_rnd": (
        "In the lab",
        "Au labo",
        "L’une de vos idées est passée en R&D.",
    ),
    "idea_shipped": (
        "Shipped",
        "Réalisée",
        "L’une de vos idées est devenue un produit.",
    ),
}

#: The English descriptions as installed: only those get the French text.
ENGLISH_DESCRIPTIONS = {
    "first_idea": "Published a first idea.",
    "first_support_received": "Received a first support.",
    "first_comment": "Posted a first comment.",
    "ten_ideas": "Published ten ideas.",
    "hundred_supports_given": "Supported 100 ideas.",
    "idea_shortlisted": "Had an idea shortlisted.",
    "idea_in_rnd": "Had an idea promoted into R&D.",
    "idea_shipped": "Had an idea turned into a product.",
}


def translate(apps, schema_editor):
    Level = apps.get_model("rewards", "Level")
    Badge = apps.get_model("rewards", "Badge")
    for threshold, (english, french) in LEVELS.items():
        Level.objects.filter(threshold=threshold, name=english, name_fr="").update(
            name_fr=french
        )
    for milestone, (english, name, description) in BADGES.items():
        Badge.objects.filter(milestone=milestone, name=english, name_fr="").update(
            name_fr=name
        )
        Badge.objects.filter(
            milestone=milestone,
            description=ENGLISH_DESCRIPTIONS[milestone],
            description_fr="",
        ).update(description_fr=description)


def untranslate(apps, schema_editor):
    Level = apps.get_model("rewards", "Level")
    Badge = apps.get_model("rewards", "Badge")
    for threshold, (_english, french) in LEVELS.items():
        Level.objects.filter(threshold=threshold, name_fr=french).update(name_fr="")
    for milestone, (_english, name, description) in BADGES.items():
        Badge.objects.filter(milestone=milestone, name_fr=name).update(name_fr="")
        Badge.objects.filter(milestone=milestone, description_fr=description).update(
            description_fr=""
        )


class Migration(migrations.Migration):
    dependencies = [("rewards", "0004_brand_content_in_french_and_entry_reason")]

    operations = [migrations.RunPython(translate, untranslate)]
