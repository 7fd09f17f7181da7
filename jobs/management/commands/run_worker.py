"""manage.py run_worker: does the queued background jobs (django-tasks' database worker), says
every few seconds that it is alive, and fails the jobs of workers that stopped answering."""

import logging
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs import runner
from jobs.models import WorkerHeartbeat

logger = logging.getLogger("jobs")

HEARTBEAT_SECONDS = 10


class Heartbeat(threading.Thread):
    """Its own database connection: the worker's may sit inside a long import transaction."""

    def __init__(self, worker_id: str):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.tick()
            self.stopped.wait(HEARTBEAT_SECONDS)
        connection.close()

    def tick(self):
        try:
            close_old_connections()
            runner.beat(self.worker_id)
            runner.reap_lost_jobs()
        except Exception as error:  # a busy database now and then must not stop the worker
            logger.warning("worker heartbeat failed: %s", type(error).__name__)


class Command(DatabaseWorkerCommand):
    help = "Do the queued background jobs (imports, reports, figures, file derivatives)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=runner.new_worker_id(), reload=False, queue_name="*")

    def handle(self, *args, worker_id, **options):
        runner.current_worker_id = worker_id
        runner.beat(worker_id)
        runner.reap_lost_jobs()
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=HEARTBEAT_SECONDS)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
