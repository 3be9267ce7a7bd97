from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cocreate import views
from cocreate.members import urls as member_urls
from cocreate.members import views as member_views
from ideas import page_cache
from ideas import urls as idea_urls
from ideas.integrations.api import api as api_v1

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Before Wagtail's own: every log-in goes through allauth.
    path("admin/login/", member_views.sign_in_through_allauth, name="admin_login"),
    path("_util/login/", member_views.sign_in_through_allauth, name="page_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", api_v1.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/privacy/", include("cocreate.privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path(
        "members/",
        include(([*member_urls.urlpatterns, *idea_urls.member_urlpatterns], "members")),
    ),
    path("ideas/", include("ideas.urls")),
    # Django's set_language, remembered in a signed-in member's profile.
    path("i18n/setlang/", member_views.set_language, name="set_language"),
    path("notifications/", include("cocreate.notifications.urls")),
    path("rewards/", include("rewards.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.COCREATE_BENCH_HELLO:
    urlpatterns += [path("bench/hello", views.bench_hello, name="bench_hello")]

urlpatterns += [
    # Wagtail's pages, the home page and campaigns kept for visitors (they opt in
    # with page_cache.allow); the same pattern and name as Wagtail's own, below.
    re_path(
        wagtail_urls.serve_pattern,
        page_cache.cached_for_visitors(page_cache.list_scopes, only_if_allowed=True)(
            wagtail_views.serve
        ),
        name="wagtail_serve",
    ),
    path("", include(wagtail_urls)),
]

handler400 = "cocreate.views.bad_request"
handler500 = "cocreate.views.server_error"
