"""Demo accounts never work in production: `check --deploy` reports an error while a demo account
or a demo recovery-code device exists and DEBUG is off."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_otp.plugins.otp_static.models import StaticDevice

from orgs.models import User

pytestmark = pytest.mark.django_db


def seed_demo_accounts(settings):
    settings.DEBUG = True
    call_command("seed_demo", cases=0, demo_users=True, verbosity=0)
    settings.DEBUG = False


def check_deploy():
    call_command("check", "--deploy", "--tag", "security", verbosity=0)


def test_check_deploy_refuses_demo_accounts_with_debug_off(settings):
    seed_demo_accounts(settings)
    assert User.objects.filter(is_demo=True).count() == 7
    with pytest.raises(SystemCheckError) as refused:
        check_deploy()
    assert "orgs.E001" in str(refused.value)
    assert "atajurt-volunteer" in str(refused.value)


def test_a_demo_recovery_code_on_any_account_is_refused_too(settings, volunteer):
    device = StaticDevice.objects.create(user=volunteer, name="recovery codes", confirmed=True)
    device.token_set.create(token="demo07")
    settings.DEBUG = False
    with pytest.raises(SystemCheckError) as refused:
        check_deploy()
    assert "orgs.E002" in str(refused.value)
    assert "aigul" in str(refused.value)


def test_deleting_the_demo_accounts_makes_the_check_pass(settings, volunteer):
    seed_demo_accounts(settings)
    User.objects.filter(is_demo=True).delete()
    assert not StaticDevice.objects.exists()
    check_deploy()


def test_demo_accounts_are_fine_while_debug_is_on(settings):
    seed_demo_accounts(settings)
    settings.DEBUG = True
    check_deploy()
