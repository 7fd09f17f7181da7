"""The one task that the queue knows: run a Job (jobs.runner.execute)."""

from django_tasks import task

from jobs import runner


@task()
def run_job(job_id: str) -> dict:
    return runner.execute(job_id)
