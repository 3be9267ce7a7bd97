"""The product team's tools: shortlists, scoring, promotion into R&D, exports, the
API and webhooks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PRODUCT_TEAM = [
    "ideas.score_idea",
    "ideas.promote_idea",
    "ideas.export_ideas",
    "ideas.view_shortlist",
    "ideas.add_shortlist",
    "ideas.change_shortlist",
    "ideas.delete_shortlist",
    "ideas.view_criterion",
    "ideas.add_criterion",
    "ideas.change_criterion",
    "ideas.use_api",
    "ideas.view_webhooksubscription",
    "ideas.add_webhooksubscription",
    "ideas.change_webhooksubscription",
    "ideas.delete_webhooksubscription",
    "ideas.view_webhookdelivery",
]


def _permissions(apps, names):
    Permission = apps.get_model("auth", "Permission")
    for name in names:
        app_label, codename = name.split(".")
        yield Permission.objects.get(
            content_type__app_label=app_label, codename=codename
        )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Product team").first()
    if group is not None:
        group.permissions.add(*_permissions(apps, PRODUCT_TEAM))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Product team").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, PRODUCT_TEAM))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_contact_consent"),
        ("members", "0003_roles"),
        ("ideas", "0006_default_criteria"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
