from django.urls import path

from accountability import export_views, views

app_name = "accountability"

urlpatterns = [
    path("", views.index, name="index"),
    path("reviews/", views.reviews, name="reviews"),
    *[path(f"{slug}/", views.dashboard, {"page": slug}, name=slug) for slug in views.PAGES],
    # The downloads: CSV, Excel, the SEN2 return.
    path("exports/", export_views.export_jobs, name="export_jobs"),
    path("exports/sen2/", export_views.sen2, name="sen2"),
    path("exports/table/<str:key>/", export_views.export, name="export"),
    path("exports/table/<str:key>/background/", export_views.export_in_background,
         name="export_in_background"),
    path("exports/<uuid:job_id>/", export_views.export_job, name="export_job"),
    path("exports/<uuid:job_id>/status/", export_views.export_job_status,
         name="export_job_status"),
    path("exports/<uuid:job_id>/file/", export_views.export_job_file, name="export_job_file"),
    path("exports/<uuid:job_id>/report/", export_views.export_job_report,
         name="export_job_report"),
]
