from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "keywork.timeline"
    verbose_name = "Timeline"
