"""Issue a one-time enrolment code from the command line: for the first superuser, who has no
coordinator to give them one, or for the last superuser who lost their phone (--reset)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user

from orgs.accounts import issue_code, user_target
from orgs.audit import record
from orgs.models import AccountCode, AuditEvent, User
from orgs.two_factor import has_second_factor


class Command(BaseCommand):
    help = (
        "Print a one-time code with which USERNAME sets up two-factor sign-in at their next "
        "sign-in. Only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the user's present two-factor devices first (a lost phone).",
        )

    def handle(self, *args, username, reset, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username} is not active.")
        if has_second_factor(user):
            if not reset:
                raise CommandError(
                    f"{username} has two-factor sign-in already: they replace their phone "
                    "themselves once signed in. If they lost it, run again with --reset."
                )
            with transaction.atomic():
                removed = 0
                for device in devices_for_user(user, confirmed=None):
                    device.delete()
                    removed += 1
            record(
                AuditEvent.Kind.SECOND_FACTOR_RESET,
                target=user_target(user),
                details={"member": username, "devices": removed, "by": "command line"},
            )
        issued = issue_code(member=user, purpose=AccountCode.Purpose.ENROLMENT)
        expires = timezone.localtime(issued.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(
            f"Enrolment code for {username}: {issued.code}\n"
            f"Valid once, until {expires}. After the password, type it on the enrolment page "
            "and scan the QR code with an authenticator app. It is not shown again."
        )
