from django.urls import path

from counselling.letters import views

app_name = "letters"
urlpatterns = [
    path("counselling/cases/<int:pk>/letters/", views.letter_prepare, name="letter_prepare"),
    path("counselling/letters/<int:pk>/approve/", views.letter_approve, name="letter_approve"),
    path("counselling/letters/<int:pk>/revoke/", views.letter_revoke, name="letter_revoke"),
    path("counselling/letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("letters/verify/", views.verify, name="verify"),
]
