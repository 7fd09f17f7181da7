"""A job kind for the worker tests: it writes inside a transaction, says it has started, and
holds the transaction open until its worker is killed."""

import time
from pathlib import Path

from django.db import transaction

from jobs.runner import job_kind
from orgs.models import Country

HOLD = "test_hold"


@job_kind(HOLD)
def hold(job, progress):
    with transaction.atomic():
        Country.objects.create(code="ZZ", name="Written by a job that never finished")
        progress(1, 2)
        Path(job.params["flag"]).write_text("started")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.1)
    return {"held": True}
