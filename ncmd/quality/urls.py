from django.urls import path

from . import views

urlpatterns = [
    path("", views.quality_home, name="quality_home"),
    path("league/<str:name>/", views.quality_league, name="quality_league"),
    path("<str:code>/", views.quality_cdop, name="quality_cdop"),
    path("<str:code>/<str:name>/", views.quality_indicator, name="quality_indicator"),
]
