from django.urls import path

from quartiers.frameworks import views_public

# Downloads: file name in the URL → format.
DOWNLOAD_FILES = {"referentiel.json": "json", "referentiel.csv": "csv", "referentiel-tableur.csv": "tableur"}

urlpatterns = [
    path("recherche/", views_public.search, name="search"),
    path("contrats/<slug:slug>/", views_public.contract_detail, name="contract"),
    path("contrats/<slug:slug>/versions/<int:number>/", views_public.version_detail, name="version"),
    path("quartiers/<str:code>/", views_public.neighbourhood_detail, name="neighbourhood"),
    path("quartiers/<str:code>/versions/<int:number>/", views_public.neighbourhood_detail,
         name="neighbourhood_version"),
    path("quartiers/<str:code>/objectifs/<str:key>/", views_public.objective_detail, name="objective"),
]
for filename, fmt in DOWNLOAD_FILES.items():
    urlpatterns += [
        path(f"contrats/<slug:slug>/{filename}", views_public.download, {"fmt": fmt}, name=f"download_{fmt}"),
        path(f"contrats/<slug:slug>/versions/<int:number>/{filename}", views_public.download, {"fmt": fmt},
             name=f"version_download_{fmt}"),
    ]
