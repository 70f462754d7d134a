from django.urls import path

from counselling.safety import views

app_name = "safety"
urlpatterns = [
    path("clients/<int:pk>/safety/", views.edit, name="edit"),
    path("clients/<int:pk>/safety/code-word/", views.code_word, name="code_word"),
]
