from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keywork.core"
    verbose_name = "Keywork"
