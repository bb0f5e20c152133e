from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from keywork.accounts.services import invitation_link, organisation_bootstrap


class Command(BaseCommand):
    help = "Creates an organisation and invites its first administrator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The organisation's name")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)

    def handle(self, *args, name, admin_email, admin_name, **options):
        try:
            invitation, token = organisation_bootstrap(
                name=name, admin_email=admin_email, admin_name=admin_name
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Created {invitation.organisation}. Invitation sent to {invitation.email}."
        )
        self.stdout.write(f"The link, if the email does not arrive: {invitation_link(token)}")
