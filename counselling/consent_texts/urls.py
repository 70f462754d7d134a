from django.urls import path

from counselling.consent_texts import views

# Included under /counselling/consent-texts/.
app_name = "consent_texts"
urlpatterns = [
    path("", views.text_list, name="text_list"),
    path("explanation/", views.explanation, name="explanation"),
    path("<int:pk>/edit/", views.text_edit, name="text_edit"),
    path("<int:pk>/review/", views.text_review, name="text_review"),
]
