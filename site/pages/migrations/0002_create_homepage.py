from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's welcome page with the brand's home page as the site root."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("pages.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    homepage_content_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="pages"
    )
    locale = Locale.objects.first()
    root = Page.objects.filter(depth=1).first()
    if root is None or locale is None:
        return
    homepage = HomePage.objects.create(
        title="Cocreate",
        draft_title="Cocreate",
        slug="home",
        content_type=homepage_content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        hero_title="Shape the products you love",
        hero_cta_label="Propose an idea",
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": homepage, "port": 80},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("pages.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
