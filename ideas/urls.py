from django.urls import path

from ideas import profiles, views
from ideas.moderation import views as team_views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_create, name="create"),
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/edit/", views.idea_edit, name="edit"),
    path(
        "<int:pk>/images/<int:image_pk>/<str:rendition>",
        views.idea_image,
        name="image",
    ),
    path("<int:pk>/support/", views.support_toggle, name="support"),
    path("<int:pk>/follow/", views.follow_toggle, name="follow"),
    path("<int:pk>/comments/", views.comment_list, name="comments"),
    path("<int:pk>/comments/new/", views.comment_create, name="comment_create"),
    path(
        "<int:pk>/comments/<int:comment_pk>/edit/",
        views.comment_edit,
        name="comment_edit",
    ),
    path(
        "<int:pk>/comments/<int:comment_pk>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("<int:pk>/report/", team_views.report_idea, name="report"),
    path(
        "<int:pk>/comments/<int:comment_pk>/report/",
        team_views.report_comment,
        name="comment_report",
    ),
    path("<int:pk>/answer/", team_views.official_answer, name="answer"),
    path("<int:pk>/status/", team_views.change_status, name="status"),
    path("<int:pk>/moderate/", team_views.moderate, name="moderate"),
]

#: Joined to the ``members`` namespace by ``cocreate.urls`` (``/members/<id>/``):
#: the profile lists a member's ideas, and ``cocreate.members`` never imports ideas.
member_urlpatterns = [
    path("<int:pk>/", profiles.profile, name="profile"),
]
