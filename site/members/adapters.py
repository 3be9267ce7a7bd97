from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cocreate.http import client_ip
from cocreate.i18n import in_language_of
from cocreate.text import single_line


class AccountAdapter(DefaultAccountAdapter):
    """Give every account a display name, even one created without the form."""

    def populate_username(self, request, user):
        if not user.display_name:
            user.display_name = (user.email or "").split("@")[0][:60]

    def send_mail(self, template_prefix, email, context):
        """A member's account emails (a password reset asked for while signed
        out, say) are in their language; a new address's, in the page's."""
        member = context.get("user")
        if not getattr(member, "language", ""):
            return super().send_mail(template_prefix, email, context)
        with in_language_of(member):
            return super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request):
        """Login limits count per person behind the proxy, as our own code does."""
        address = client_ip(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class ProviderNotConfigured(Http404, SocialApp.DoesNotExist):
    """A provider without credentials: its pages are not found (not a 500), and
    allauth's callers that expect ``SocialApp.DoesNotExist`` still catch it."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as exc:
            raise ProviderNotConfigured(provider) from exc

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if not user.display_name:
            name = data.get("name") or " ".join(
                part for part in (data.get("first_name"), data.get("last_name")) if part
            )
            # A provider's name is typed by someone else: one clean line.
            user.display_name = single_line(name or (user.email or "").split("@")[0])[
                :60
            ]
        return user
