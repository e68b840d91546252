from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True  # the app itself; PortalAdminConfig below is named in INSTALLED_APPS
    name = "accounts"
    verbose_name = "Anmeldung und Konten"

    def ready(self) -> None:
        from accounts import security  # noqa: F401  (connects the login stamp receiver)


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "accounts.admin_site.PortalAdminSite"
