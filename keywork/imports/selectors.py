from django.db.models import Exists, OuterRef, Q, QuerySet

from keywork import access
from keywork.accounts.models import User
from keywork.imports.models import ImportJob, ImportProblem

PROBLEMS_SHOWN = 200


def imports_of(*, fetched_by: User) -> QuerySet[ImportJob]:
    """The imports the user may see: their own, and those whose every row writes to a
    service within their reach. An import's rows hold personal data (and its problems
    quote the cells), so it is seen as the records it makes would be: an administrator,
    whose imports reach the whole organisation, sees all of its imports; a lead manager
    sees another's import only when every row is for one of their services (never one
    not yet checked, or with rows for no service: see ImportJob.beyond_services)."""
    access.require(fetched_by, access.Capability.IMPORT)
    jobs = access.scoped_to_organisation(fetched_by, ImportJob.objects.select_related("created_by"))
    service_ids = access.service_ids_in_scope(fetched_by, access.Capability.IMPORT)
    if service_ids is None:
        return jobs
    outside = ImportJob.services.through.objects.filter(importjob=OuterRef("pk")).exclude(
        service_id__in=service_ids
    )
    return jobs.filter(Q(created_by=fetched_by) | (Q(beyond_services=False) & ~Exists(outside)))


def import_or_404(*, fetched_by: User, job_id: int) -> ImportJob:
    return access.get_visible_or_404(imports_of(fetched_by=fetched_by), pk=job_id)


def may_act_on(user: User, job: ImportJob) -> bool:
    """Matching the columns, checking and importing are for the import's creator alone:
    the rows are read with their reach and the records made are theirs in the audit."""
    return (
        access.has_capability(user, access.Capability.IMPORT)
        and job.organisation_id == user.organisation_id
        and job.created_by_id == user.pk
    )


def problems_of(job: ImportJob, *, warnings: bool) -> list[ImportProblem]:
    return list(job.problems.filter(is_warning=warnings)[:PROBLEMS_SHOWN])
