"""Which organisation a row belongs to, for a row that has no organisation of its own."""

from typing import Any, ClassVar


class OrganisationThrough:
    """For rows whose organisation is a parent's, which is how the audit files them and
    the access rules check them. The model names the way there in one line, such as
    `organisation_through = "plan"` or `"goal__plan"`, followed attribute by attribute as
    a hand-written `self.goal.plan.organisation_id` would, so a parent already loaded
    with the row costs no query."""

    organisation_through: ClassVar[str]

    @property
    def organisation_id(self) -> int | None:
        record: Any = self
        for name in self.organisation_through.split("__"):
            record = getattr(record, name)
        return record.organisation_id
