from django_tasks import task

from keywork.imports import services


@task()
def check_import(job_id: int) -> None:
    services.run_check(job_id)


@task()
def run_import(job_id: int) -> None:
    services.run_import(job_id)
