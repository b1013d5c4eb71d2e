"""Signing in and out and changing a password, with Django's own views and our templates."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

sign_in = auth_views.LoginView.as_view(redirect_authenticated_user=True)
sign_out = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    success_url=reverse_lazy("password_changed")
)
password_changed = auth_views.PasswordChangeDoneView.as_view()
