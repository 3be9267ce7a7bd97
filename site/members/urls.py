from django.urls import path

from cocreate.members import views

app_name = "members"

# A member's public profile (``<int:pk>/``, name ``profile``) lists their ideas: it
# is served by ``ideas.profiles`` and joins this namespace in ``cocreate.urls``.

urlpatterns = [
    path("settings/", views.edit_profile, name="edit"),
    path("consents/", views.edit_consents, name="consents"),
    path("terms/", views.accept_terms, name="accept_terms"),
]
