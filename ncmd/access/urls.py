from django.urls import path

from .views import closing, edit, extracts, outputs, registration, requests, review

urlpatterns = [
    path("", requests.access_home, name="access_home"),
    path("register/", registration.register, name="access_register"),
    path("my-details/", registration.researcher_details, name="access_researcher_details"),
    path("researchers/", registration.researchers, name="access_researchers"),
    path("releases/", extracts.release_log, name="access_release_log"),
    path("new/", requests.new_request, name="access_new"),
    path("<str:reference>/", requests.request_detail, name="access_request"),
    path("<str:reference>/edit/", edit.edit_request, name="access_edit"),
    path("<str:reference>/versions/<int:number>/", requests.version_detail, name="access_version"),
    path("<str:reference>/move/<str:transition>/", requests.move, name="access_move"),
    path("<str:reference>/change/", requests.start_change, name="access_change"),
    path("<str:reference>/assess/", review.assess, name="access_assess"),
    path("<str:reference>/decide/", review.decide, name="access_decide"),
    path("<str:reference>/extracts/new/", extracts.build, name="access_build"),
    path("<str:reference>/extracts/<int:pk>/", extracts.extract_detail, name="access_extract"),
    path("<str:reference>/extracts/<int:pk>/release/", extracts.release, name="access_release"),
    path("<str:reference>/extracts/<int:pk>/download/", extracts.download, name="access_download"),
    path("<str:reference>/outputs/new/", outputs.submit_output, name="access_submit_output"),
    path("<str:reference>/outputs/<int:pk>/", outputs.output_detail, name="access_output"),
    path("<str:reference>/destroyed/", closing.declare_destruction, name="access_declare"),
]
