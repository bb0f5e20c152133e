from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.demo.seed import DEMO_ORGANISATIONS, demo_email


class Command(BaseCommand):
    help = "Prints the current two-factor code of a demo user. Development only."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_code refuses to run in production.")
        demo_emails = {demo_email(o, s) for o in DEMO_ORGANISATIONS for s in o.staff}
        if email.lower() not in demo_emails:
            raise CommandError("That is not a demo account.")
        device = (
            TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise CommandError("That demo account has no authenticator. Run seed_demo first.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
