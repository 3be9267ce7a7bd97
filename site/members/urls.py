from django.urls import path

from cocreate.members import views

app_name = "members"

urlpatterns = [
    path("settings/", views.edit_profile, name="edit"),
    path("<int:pk>/", views.profile, name="profile"),
]
