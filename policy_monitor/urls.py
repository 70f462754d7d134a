from django.urls import path

from policy_monitor import draft_views, views

app_name = "policy_monitor"
urlpatterns = [
    path("", views.index, name="index"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/new/", views.recommendation_edit, name="recommendation_create"),
    path(
        "recommendations/export.<str:file_format>",
        views.recommendation_export,
        name="recommendation_export",
    ),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation_edit"),
    path("laws/", views.policy_list, name="policy_list"),
    path("laws/new/", views.policy_edit, name="policy_create"),
    path("laws/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("laws/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("laws/<int:policy_pk>/events/new/", views.policy_event_edit, name="policy_event_create"),
    path(
        "laws/<int:policy_pk>/events/<int:pk>/edit/",
        views.policy_event_edit,
        name="policy_event_edit",
    ),
    path("laws/<int:policy_pk>/notes/new/", views.monitoring_note_add, name="note_create"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_edit, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/draft/", draft_views.draft_create, name="draft_create"),
    path("drafts/<int:pk>/", draft_views.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/progress/", draft_views.draft_progress, name="draft_progress"),
    path("drafts/<int:pk>/cancel/", draft_views.draft_cancel, name="draft_cancel"),
    path("drafts/<int:pk>/file/", draft_views.draft_file, name="draft_file"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/new/", views.submission_edit, name="submission_create"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:pk>/file/", views.submission_file, name="submission_file"),
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/new/", views.cluster_edit, name="cluster_create"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="cluster_edit"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
