import pytest

from cases.models import Case
from orgs.models import Membership
from tests.factories import CaseFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organizations_with_role(volunteer, organization):
    other = OrganizationFactory()
    MembershipFactory(user=volunteer, organization=other, role=Membership.Role.REVIEWER)
    assert set(volunteer.organizations_with_role()) == {organization, other}
    assert list(volunteer.organizations_with_role(Membership.Role.REVIEWER)) == [other]
    assert not volunteer.organizations_with_role(Membership.Role.COORDINATOR).exists()


def test_a_member_sees_only_their_groups_cases(volunteer, organization):
    own = CaseFactory(organization=organization)
    CaseFactory()
    assert list(Case.objects.visible_to(volunteer)) == [own]


def test_site_staff_see_every_case(site_staff):
    CaseFactory()
    CaseFactory()
    assert Case.objects.visible_to(site_staff).count() == 2


def test_an_inactive_user_sees_nothing(volunteer, organization):
    CaseFactory(organization=organization)
    volunteer.is_active = False
    assert not Case.objects.visible_to(volunteer).exists()
