"""The review side: queue, application review, committee. Each group of pages keeps its routes in its own module.

home: the landing page of every role, ``gestion/instruction/``.

Names (the contract between the pages, used with ``{% url 'reviews:NAME' … %}``):

queue (urls_queue):        queue(slug), queue_csv(slug), view_save(slug), view_delete(slug, pk), members(slug)
review (urls_review):      application(pk), admissibility(pk), confirm_match(pk), assessment(pk, funder_pk),
                           conflict(pk), info_request(pk), info_answer(pk, req_pk), advice(pk), mark_reviewed(pk),
                           grid(slug)
committee (urls_committee): sessions(slug), session(pk), agenda(pk), decide(pk, app_pk), session_close(pk),
                           letter(pk), letter_pdf(pk), notify(pk)
"""

from django.urls import path

from quartiers.reviews import urls_committee, urls_queue, urls_review, views_home

app_name = "reviews"

urlpatterns = [path("gestion/instruction/", views_home.home, name="home")] + urls_queue.urlpatterns + urls_review.urlpatterns + urls_committee.urlpatterns
