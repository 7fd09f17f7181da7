from django.urls import path

from orgs import account_views

app_name = "accounts"

urlpatterns = [
    path("new-password/", account_views.new_password, name="new_password"),
    path(
        "members/<int:user_id>/password-reset/",
        account_views.password_reset,
        name="password_reset",
    ),
]
