"""What the applicant sees of the review on their application's page: requests for information to answer, and
the decisions once notified. Each panel is its own template, rendered with the application and the user."""

from django import template

from quartiers.reviews.perms import can_answer_info

register = template.Library()


@register.inclusion_tag("reviews/applicant/_info_requests.html", takes_context=True)
def applicant_info_requests(context, application):
    request = context.get("request")
    return {"application": application, "request": request, "info_requests": list(application.info_requests.all()),
            "can_answer": request is not None and can_answer_info(request.user, application)}


@register.inclusion_tag("reviews/applicant/_decisions.html", takes_context=True)
def applicant_decisions(context, application):
    return {"application": application, "request": context.get("request"),
            "decisions": [d for d in application.decisions.select_related("funder") if d.notified_at]}
