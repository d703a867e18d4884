from django.urls import path

from quartiers.frameworks import views_staff

urlpatterns = [
    path("gestion/referentiel/", views_staff.versions, name="staff_versions"),
    path("gestion/referentiel/importer/", views_staff.upload, name="staff_upload"),
    path("gestion/referentiel/versions/<int:pk>/", views_staff.version, name="staff_version"),
    path("gestion/referentiel/versions/<int:pk>/publier/", views_staff.publish, name="staff_publish"),
    path("gestion/referentiel/objectifs/<int:pk>/modifier/", views_staff.objective_edit, name="staff_objective_edit"),
    path("gestion/referentiel/objectifs/<int:pk>/deplacer/", views_staff.objective_move, name="staff_objective_move"),
    path("gestion/referentiel/objectifs/<int:pk>/fusionner/", views_staff.objective_merge,
         name="staff_objective_merge"),
    path("gestion/referentiel/objectifs/<int:pk>/scinder/", views_staff.objective_split, name="staff_objective_split"),
    path("gestion/referentiel/objectifs/<int:pk>/supprimer/", views_staff.objective_delete,
         name="staff_objective_delete"),
    path("gestion/referentiel/objectifs/<int:pk>/condition/", views_staff.objective_constraint,
         name="staff_objective_constraint"),
    path("gestion/referentiel/conditions/<int:pk>/objectif/", views_staff.constraint_objective,
         name="staff_constraint_objective"),
    path("gestion/referentiel/themes/<int:pk>/modifier/", views_staff.theme_edit, name="staff_theme_edit"),
    path("gestion/referentiel/themes/<int:pk>/supprimer/", views_staff.theme_delete, name="staff_theme_delete"),
    path("gestion/referentiel/projets/<int:pk>/quartier/", views_staff.section_attach, name="staff_section_attach"),
    path("gestion/referentiel/avertissements/<int:pk>/traiter/", views_staff.note_resolve, name="staff_note_resolve"),
    path("gestion/referentiel/<slug:contract>/comparer/", views_staff.compare, name="staff_compare"),
]
