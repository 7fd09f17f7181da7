"""gunicorn for casetracker, behind Caddy on the same machine (deploy/Caddyfile).

Started by deploy/casetracker-web.service:
    gunicorn --config deploy/gunicorn.conf.py casetracker.wsgi
Every value can be changed in the environment file without editing this one.
"""

import multiprocessing
import os

# Only the proxy on this machine talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes per core plus one is gunicorn's rule of thumb; on a small server each process
# holds about 100 MB.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# Imports and large reports run in the worker (manage.py run_worker), so no request needs long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A process is replaced after this many requests, so that a slow leak never grows for years.
max_requests = 2000
max_requests_jitter = 200
# The application writes one structured line per request (casetracker.request_log), without
# the client's address; gunicorn's own access log would write the address, so it stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# Caddy sets X-Forwarded-Proto; gunicorn believes it only from the proxy's address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Loads the application once before forking: less memory, and a broken deployment fails at start.
preload_app = True
# The workers' heartbeat files in memory: a slow disk would make gunicorn think they hang.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "casetracker"
