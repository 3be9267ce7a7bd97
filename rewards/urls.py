from django.urls import path

from rewards import views

app_name = "rewards"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:pk>/", views.reward_detail, name="detail"),
    path("<int:pk>/redeem/", views.redeem, name="redeem"),
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/points/", views.nav_points, name="nav_points"),
    path("redemptions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
