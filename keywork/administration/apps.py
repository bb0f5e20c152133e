from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "keywork.administration"
    verbose_name = "Administration"
