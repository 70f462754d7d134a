from django.urls import path
from django.views.generic import RedirectView

from campaigns import views


def moved_to_directory(name: str):
    """The organisation pages moved to the directory (/directory/...); old links
    and bookmarks follow them, query string included."""
    return RedirectView.as_view(pattern_name=f"directory:{name}", permanent=True, query_string=True)


app_name = "campaigns"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/demands/new/", views.demand_new, name="demand_new"),
    path("<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("<int:pk>/sign-ons/new/", views.sign_on_new, name="sign_on_new"),
    path("<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("demands/<int:pk>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/remove/", views.demand_remove, name="demand_remove"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/files/new/", views.action_file_upload, name="action_file_upload"),
    path("files/<int:pk>/", views.action_file_download, name="action_file_download"),
    path("sign-ons/<int:pk>/", views.sign_on_detail, name="sign_on_detail"),
    path("sign-ons/<int:pk>/edit/", views.sign_on_edit, name="sign_on_edit"),
    path("sign-ons/<int:pk>/signatories.csv", views.signatories_csv, name="signatories_csv"),
    path("sign-ons/<int:pk>/signatories.xlsx", views.signatories_xlsx, name="signatories_xlsx"),
    path("signatories/<int:pk>/remove/", views.signatory_remove, name="signatory_remove"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/done/", views.task_toggle, name="task_toggle"),
    path("coalitions/", views.coalition_list, name="coalition_list"),
    path("coalitions/new/", views.coalition_new, name="coalition_new"),
    path("coalitions/<int:pk>/", views.coalition_detail, name="coalition_detail"),
    path("coalitions/<int:pk>/edit/", views.coalition_edit, name="coalition_edit"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("network/", views.network, name="network"),
    # Old addresses of the directory's pages.
    path("organisations/", moved_to_directory("organisation_list"), name="moved_organisation_list"),
    path(
        "organisations/new/", moved_to_directory("organisation_new"), name="moved_organisation_new"
    ),
    path(
        "organisations/import/",
        moved_to_directory("organisation_import"),
        name="moved_organisation_import",
    ),
    path(
        "organisations/<int:pk>/",
        moved_to_directory("organisation_detail"),
        name="moved_organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        moved_to_directory("organisation_edit"),
        name="moved_organisation_edit",
    ),
    path(
        "organisations/<int:pk>/contacts/new/",
        moved_to_directory("contact_new"),
        name="moved_contact_new",
    ),
    path("contacts/<int:pk>/edit/", moved_to_directory("contact_edit"), name="moved_contact_edit"),
]
