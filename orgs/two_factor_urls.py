from django.urls import path

from orgs import two_factor

app_name = "two_factor"

urlpatterns = [
    path("", two_factor.verify, name="verify"),
    path("enrol/", two_factor.enrol, name="enrol"),
    path("recovery-codes/", two_factor.recovery_codes, name="recovery_codes"),
    path("sign-out/", two_factor.sign_out, name="sign_out"),
    path("members/", two_factor.members, name="members"),
    path("reset/<int:user_id>/", two_factor.reset, name="reset"),
    path("unlock/", two_factor.unlock, name="unlock"),
]
