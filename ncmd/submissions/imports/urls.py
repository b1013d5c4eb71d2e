from django.urls import path

from .views import downloads, result, upload

urlpatterns = [
    path("", upload.upload, name="import_upload"),
    path("<int:run_id>/", result.result, name="import_result"),
    path("<int:run_id>/report.<str:kind>", downloads.report, name="import_report"),
    path("templates/<str:form_name>.csv", downloads.template, name="import_template"),
]
