"""The role home on the admin index (templates/admin/index.html)."""

from django import template

from cases.services.home import home_for

register = template.Library()


@register.inclusion_tag("admin/cases/home.html", takes_context=True)
def role_home(context):
    request = context["request"]
    return {"home": home_for(request.user, request.session), "request": request}
