from django.urls import path, re_path

from .api import api
from .views import docs, tokens

urlpatterns = [
    path("api/v1/docs", docs.api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", docs.not_found),
    path("account/api-tokens/", tokens.token_list, name="api_tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/", tokens.revoke_token, name="api_token_revoke"
    ),  # fmt: skip
]
