"""WSGI entry point: production HTTP runs here (granian or gunicorn workers)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocreate.settings")
application = get_wsgi_application()
