"""The review side: one sub-package per feature, each with its routes (``<feature>/urls.py``).

home: the landing page of every role, ``gestion/instruction/``.

Names (the contract between the pages, used with ``{% url 'reviews:NAME' … %}``):

queue:     queue(slug), queue_csv(slug), view_save(slug), view_delete(slug, pk)
members:   members(slug)
review:    application(pk), admissibility(pk), confirm_match(pk), assessment(pk, funder_pk), conflict(pk),
           info_request(pk), info_answer(pk, req_pk), advice(pk), mark_reviewed(pk), document(pk, doc_pk), grid(slug)
committee: sessions(slug), session(pk), agenda(pk), decide(pk, app_pk), session_close(pk), letter(pk),
           letter_pdf(pk), notify(pk)
"""

from django.urls import path

from quartiers.reviews import views
from quartiers.reviews.committee import urls as committee_urls
from quartiers.reviews.members import urls as members_urls
from quartiers.reviews.queue import urls as queue_urls
from quartiers.reviews.review import urls as review_urls

app_name = "reviews"

urlpatterns = (
    [path("gestion/instruction/", views.home, name="home")]
    + queue_urls.urlpatterns
    + members_urls.urlpatterns
    + review_urls.urlpatterns
    + committee_urls.urlpatterns
)
