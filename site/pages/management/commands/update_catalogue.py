"""``manage.py update_catalogue``: what ``make messages`` runs."""

from django.core.management.base import BaseCommand, CommandError

from cocreate import catalogue


class Command(BaseCommand):
    help = (
        "Extract the site's strings into the French catalogue (new ones come in "
        "untranslated, vanished ones go) and compile it. Needs GNU gettext."
    )

    def handle(self, *args, **options):
        if not catalogue.gettext_available():
            raise CommandError(
                "GNU gettext is not installed (xgettext, msgmerge, msgfmt): "
                "install the gettext package and run this again."
            )
        root = catalogue.source_root()
        catalogue.extract(root, keep_obsolete=False)
        for language in catalogue.LANGUAGES:
            mo = catalogue.compile_catalogue(root, language)
            messages = catalogue.read_po(catalogue.catalogue_path(root, language))
            waiting = [m for m in messages if m.fuzzy or not m.translated]
            self.stdout.write(
                f"{language}: {len(messages)} messages, {len(waiting)} to translate "
                f"or check; compiled {mo.relative_to(root)}"
            )
