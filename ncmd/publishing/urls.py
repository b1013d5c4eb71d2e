"""Public statistics pages under /statistics/ (no sign-in) and the portal's reports and
releases under /publishing/."""

from django.urls import path

from .views import releases, reports, statistics

urlpatterns = [
    path("statistics/", statistics.statistics_home, name="statistics_home"),
    path("statistics/files/<int:file_id>/", statistics.statistics_file, name="statistics_file"),
    path("statistics/<str:identifier>/", statistics.statistics_release, name="statistics_release"),
    path("publishing/reports/", reports.report_list, name="publishing_reports"),
    path(
        "publishing/reports/<int:report_id>/<str:name>",
        reports.report_file,
        name="publishing_report_file",
    ),
    path("publishing/releases/", releases.release_list, name="publishing_releases"),
    path(
        "publishing/releases/<str:identifier>/", releases.release_detail, name="publishing_release"
    ),
]
