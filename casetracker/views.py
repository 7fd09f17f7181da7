from django.db.models import Count
from django.shortcuts import render

from cases.models import Case


def home(request):
    """The front page: how many published cases there are, by status."""
    public = Case.objects.public()
    by_status = public.order_by().values("status").annotate(count=Count("pk")).order_by("-count")
    labels = dict(Case.Status.choices)
    context = {
        "total": sum(row["count"] for row in by_status),
        "by_status": [
            (labels.get(row["status"], row["status"]), row["count"]) for row in by_status
        ],
    }
    return render(request, "home.html", context)
