"""The brand team's roles as groups with their permissions.

A member is promoted by adding them to a group in the Wagtail admin. Permissions
are created here first (Django only creates them after all migrations ran), so a
fresh database gets complete groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN = ["wagtailadmin.access_admin"]

MODERATORS = ADMIN + [
    "ideas.view_idea",
    "ideas.change_idea",
    "ideas.moderate_idea",
    "ideas.change_idea_status",
    "ideas.post_official_answer",
    "ideas.view_category",
    "ideas.view_moderationreason",
    "ideas.add_moderationreason",
    "ideas.change_moderationreason",
    "ideas.delete_moderationreason",
    "taggit.view_tag",
    "taggit.add_tag",
    "taggit.change_tag",
    "members.view_sanction",
    "members.add_sanction",
    "members.change_sanction",
    "rewards.view_redemption",
    "rewards.change_redemption",
    "rewards.view_wallet",
    "rewards.view_entry",
    "rewards.add_entry",
    "rewards.view_reward",
    "rewards.view_vouchercode",
]

PRODUCT_TEAM = ADMIN + [
    "ideas.view_idea",
    "ideas.change_idea_status",
    "ideas.post_official_answer",
    "ideas.view_category",
    "taggit.view_tag",
]

EDITORS = ADMIN + [
    "ideas.view_idea",
    "ideas.view_category",
    "ideas.add_category",
    "ideas.change_category",
    "ideas.delete_category",
    "taggit.view_tag",
    "taggit.add_tag",
    "taggit.change_tag",
    "taggit.delete_tag",
    "rewards.view_earningrule",
    "rewards.change_earningrule",
    "rewards.view_campaignmultiplier",
    "rewards.add_campaignmultiplier",
    "rewards.change_campaignmultiplier",
    "rewards.delete_campaignmultiplier",
    "rewards.view_level",
    "rewards.add_level",
    "rewards.change_level",
    "rewards.delete_level",
    "rewards.view_badge",
    "rewards.add_badge",
    "rewards.change_badge",
    "rewards.view_reward",
    "rewards.add_reward",
    "rewards.change_reward",
    "rewards.view_vouchercode",
    "rewards.add_vouchercode",
    "rewards.change_rewardsettings",
]
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
EDITOR_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]

ROLES = {"Moderators": MODERATORS, "Product team": PRODUCT_TEAM, "Editors": EDITORS}


def _permission(apps, name):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    # Wagtail installs its own "Moderators" and "Editors" (page publishers); here
    # they become Cocreate's roles, with exactly these permissions.
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    for name, permissions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(apps, p) for p in permissions])
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()

    editors = Group.objects.get(name="Editors")
    Page = apps.get_model("wagtailcore", "Page")
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors,
                page=root,
                permission=_permission(apps, f"wagtailcore.{codename}"),
            )
    Collection = apps.get_model("wagtailcore", "Collection")
    collection = Collection.objects.filter(depth=1).first()
    if collection is not None:
        for name in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=collection, permission=_permission(apps, name)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_sanctions"),
        ("ideas", "0003_brand_team"),
        ("rewards", "0002_defaults"),
        ("wagtailadmin", "__latest__"),
        ("wagtailcore", "__latest__"),
        ("wagtailimages", "__latest__"),
        ("wagtaildocs", "__latest__"),
        ("taggit", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
