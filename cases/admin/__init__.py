"""The volunteers' workspace in Django's admin, one module per admin.

Autodiscovery imports this package; importing each module here registers every admin.
"""

from cases.admin import cases, logs, people, submissions, words  # noqa: F401
