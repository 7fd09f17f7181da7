"""System checks for accounts."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security, deploy=True)
def check_no_demo_accounts(app_configs, **kwargs):
    """Demo accounts (seed_demo --demo-users) have a password and recovery codes printed in the
    README: with DEBUG off, a site that holds one is open to anyone who read it."""
    if settings.DEBUG:
        return []
    from django.db.models import Q
    from django_otp.plugins.otp_static.models import StaticDevice

    from orgs.models import User
    from orgs.two_factor import DEMO_RECOVERY_CODES, DEMO_RECOVERY_NAME

    try:
        accounts = list(User.objects.filter(is_demo=True).values_list("username", flat=True))
        devices = sorted(
            set(
                StaticDevice.objects.filter(
                    Q(name=DEMO_RECOVERY_NAME) | Q(token_set__token__in=DEMO_RECOVERY_CODES)
                ).values_list("user__username", flat=True)
            )
        )
    except DatabaseError:
        # A database not migrated yet holds no account at all.
        return []
    errors = []
    if accounts:
        errors.append(
            checks.Error(
                f"{len(accounts)} demo account(s) exist with DEBUG off: "
                + ", ".join(sorted(accounts)[:10]),
                hint=(
                    "Their password is published. Delete them (admin: Users, filter "
                    "'demo account'), or run this site with DEBUG on only for a demo."
                ),
                id="orgs.E001",
            )
        )
    if devices:
        errors.append(
            checks.Error(
                "Demo recovery codes (demo01 … demo30) are stored for: " + ", ".join(devices[:10]),
                hint=(
                    "Anyone who read the README can pass these accounts' second step. Delete "
                    "these accounts, or have them make new recovery codes."
                ),
                id="orgs.E002",
            )
        )
    return errors
