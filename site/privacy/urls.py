from django.urls import path

from cocreate.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy, name="home"),
    path("download/<str:token>/", views.download, name="download"),
]
