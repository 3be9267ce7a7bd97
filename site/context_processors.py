from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cocreate.members import consents


def site_context(request):
    """What the base template needs on every page."""
    context = {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "WEBSOCKET_URL": settings.COCREATE_WEBSOCKET_URL,
        # Read (from the cache) only by templates that show the footer.
        "legal_links": SimpleLazyObject(consents.legal_links),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_suspended:
        # Only suspended members pay this query: they see why and until when.
        context["suspension"] = (
            user.sanctions.filter(kind="suspension", lifted_at__isnull=True)
            .order_by("-until")
            .first()
        )
    return context
