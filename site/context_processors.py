from django.conf import settings


def site_context(request):
    """What the base template needs on every page."""
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "WEBSOCKET_URL": settings.COCREATE_WEBSOCKET_URL,
    }
