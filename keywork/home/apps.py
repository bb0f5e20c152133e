from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each user's home page: on top of the areas, whose panels it shows."""

    name = "keywork.home"
    verbose_name = "Home"
