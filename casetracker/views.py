from django.shortcuts import render
from django.views.decorators.http import require_safe

from cases.public_views import home_context


@require_safe
def home(request):
    """The front page: headline figures, a search box and the latest published cases."""
    return render(request, "home.html", home_context())
