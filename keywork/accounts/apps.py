from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keywork.accounts"
    verbose_name = "Staff accounts"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.accounts import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.Membership)
        auditlog.register(models.Invitation, exclude_fields=["token_hash"])
