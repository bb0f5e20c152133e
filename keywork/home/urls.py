from django.urls import path

from keywork.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
]
