from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisations and the data at scale for the benchmark: on top of every
    area, imported by none."""

    name = "keywork.demo"
    verbose_name = "Demo and scale data"
