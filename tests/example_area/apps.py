from django.apps import AppConfig


class ExampleAreaConfig(AppConfig):
    """An area as a new one plugs in: a timeline kind, a caseload column and a section
    of the person's page, declared in its own contributions and nowhere else."""

    name = "tests.example_area"
    label = "example_area"
