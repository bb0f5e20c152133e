from django.db.models import QuerySet

from keywork import access
from keywork.accounts.models import User
from keywork.imports.models import ImportJob, ImportProblem

PROBLEMS_SHOWN = 200


def imports_of(*, fetched_by: User) -> QuerySet[ImportJob]:
    access.require(fetched_by, access.Capability.IMPORT)
    return access.scoped_to_organisation(fetched_by, ImportJob.objects.select_related("created_by"))


def import_or_404(*, fetched_by: User, job_id: int) -> ImportJob:
    return access.get_visible_or_404(imports_of(fetched_by=fetched_by), pk=job_id)


def problems_of(job: ImportJob, *, warnings: bool) -> list[ImportProblem]:
    return list(job.problems.filter(is_warning=warnings)[:PROBLEMS_SHOWN])
