"""Login, the second factor and the person's own account (URL names without a namespace: the
login is Django's LOGIN_URL and every page's header links here)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("zwei-faktor/", views.two_factor_verify, name="two_factor_verify"),
    path("zwei-faktor/einrichten/", views.two_factor_setup, name="two_factor_setup"),
    path("zwei-faktor/notfallcodes/", views.backup_codes_renew, name="backup_codes_renew"),
    path("konto/", views.account, name="account"),
    path("konto/passwort/", views.password_change, name="password_change"),
    path("sitzung/verlaengern/", views.session_extend, name="session_extend"),
]
