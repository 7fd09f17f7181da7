"""manage.py backup_key: a new age key pair for the backups."""

import pyrage
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Print a new age key pair: the public key goes into BACKUP_RECIPIENT on the server, the "
        "private key (the identity) is kept off the server, where backups are restored."
    )

    def handle(self, *args, **options):
        identity = pyrage.x25519.Identity.generate()
        self.stdout.write(
            f"# public key, for BACKUP_RECIPIENT on the server:\n# {identity.to_public()}"
        )
        self.stdout.write(
            "# private key: keep it OFF the server (a password manager, a printed copy in a "
            "safe). Whoever holds it can read every backup."
        )
        self.stdout.write(str(identity))
