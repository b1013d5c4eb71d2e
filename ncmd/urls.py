from django.contrib import admin
from django.urls import include, path

from ncmd.registry.views import (
    accounts,
    case_audit,
    case_detail,
    case_identifiers,
    cases,
    duplicates,
    home,
)

admin.site.site_header = "ncmd administration"

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", accounts.sign_in, name="login"),
    path("sign-out/", accounts.sign_out, name="logout"),
    path("account/password/", accounts.password_change, name="password_change"),
    path("account/password/done/", accounts.password_changed, name="password_changed"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<str:reference>/", case_detail.case_detail, name="case_detail"),
    path(
        "cases/<str:reference>/identifiers/",
        case_identifiers.case_identifiers,
        name="case_identifiers",
    ),
    path("cases/<str:reference>/history/", case_audit.case_audit, name="case_audit"),
    path(
        "cases/<str:reference>/duplicate/",
        duplicates.resolve_duplicate,
        name="resolve_duplicate",
    ),
    path("quality/", include("ncmd.quality.urls")),
    path("", include("ncmd.submissions.urls")),
    path("imports/", include("ncmd.submissions.imports.urls")),
    path("", include("ncmd.submissions.api.urls")),
    path("learning/", include("ncmd.learning.urls")),
    path("outreach/", include("ncmd.learning.outreach.urls")),
    path("access/", include("ncmd.access.urls")),
    path("", include("ncmd.publishing.urls")),
    path("admin/", admin.site.urls),
]
