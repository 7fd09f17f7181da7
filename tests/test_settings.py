"""The settings module reads the environment, and refuses to run unsafe in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(env, expression):
    """Import the settings in a fresh process with exactly `env`, and print `expression`."""
    code = f"import casetracker.settings as s; print({expression})"
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings({"DEBUG": "false"}, "s.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_uses_a_development_key_only_with_debug_on():
    result = load_settings({"DEBUG": "true"}, "s.SECRET_KEY")
    assert result.returncode == 0, result.stderr
    assert "insecure" in result.stdout


def test_it_reads_the_secret_key_and_hosts_from_the_environment():
    result = load_settings(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 50,
            "ALLOWED_HOSTS": "cases.example.org,example.org",
        },
        "s.DEBUG, s.ALLOWED_HOSTS",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['cases.example.org', 'example.org']"


def test_the_default_database_is_an_sqlite_file_in_the_project_folder():
    result = load_settings({"DEBUG": "true"}, "s.DATABASES['default']['NAME']")
    assert result.stdout.strip() == str(ROOT / "casetracker.sqlite3")


def test_it_reads_database_url():
    result = load_settings(
        {"DEBUG": "true", "DATABASE_URL": "postgres://cases:pw@db.internal:5433/casetracker"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], "
        "s.DATABASES['default']['NAME']",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql db.internal casetracker"


def test_static_files_are_served_by_whitenoise(settings):
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_the_user_model_is_custom(settings):
    assert settings.AUTH_USER_MODEL == "orgs.User"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "yes"),
        ("DEBUG", "on"),
        ("SECURE_SSL_REDIRECT", "ture"),
        ("SESSION_COOKIE_SECURE", "no"),
    ],
)
def test_a_boolean_that_is_not_true_or_false_stops_the_process(variable, value):
    result = load_settings({"DEBUG": "false", "SECRET_KEY": "k" * 50, variable: value}, "s.DEBUG")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable}={value!r} is not a boolean: write true or false" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("TRUE", "True"), ("True", "True"), ("1", "True"), ("0", "False"), ("False", "False")],
)
def test_booleans_are_true_false_1_or_0_in_any_case(value, expected):
    result = load_settings({"DEBUG": value, "SECRET_KEY": "k" * 50}, "s.DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_empty_boolean_takes_its_default():
    result = load_settings(
        {"DEBUG": "", "SECRET_KEY": "k" * 50, "SECURE_SSL_REDIRECT": ""},
        "s.DEBUG, s.SECURE_SSL_REDIRECT",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"
