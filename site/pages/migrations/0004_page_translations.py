"""Pages can be translated: a Wagtail locale for every language the site offers,
so editors translate right away, and the editors' and moderators' roles may
submit translations (``wagtail.contrib.simple_translation``)."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Editors", "Moderators"]
PERMISSION = ("simple_translation", "submit_translation")


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def grant_translation(apps, schema_editor):
    # Django creates permissions after all migrations ran: create them first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    app_label, codename = PERMISSION
    permission = Permission.objects.get(
        content_type__app_label=app_label, codename=codename
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(permission)


def revoke_translation(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = PERMISSION
    for permission in Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ):
        permission.group_set.remove(*permission.group_set.filter(name__in=ROLES))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_legal_page"),
        ("members", "0003_roles"),
        ("wagtailcore", "__latest__"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [
        # Locales stay on the way back: pages may be in them.
        migrations.RunPython(create_locales, migrations.RunPython.noop),
        migrations.RunPython(grant_translation, revoke_translation),
    ]
