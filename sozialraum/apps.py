from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SozialraumConfig(AppConfig):
    default = True  # the app itself; PortalAdminConfig below is named in INSTALLED_APPS
    name = "sozialraum"
    verbose_name = "Sozialraum, Träger und Benutzer"

    def ready(self) -> None:
        from sozialraum import (
            figures_cache,
            lookups,  # noqa: F401  (registers IntegerIn and AnyOf)
            security,  # noqa: F401  (connects the login stamp receiver)
        )

        figures_cache.connect_signals()


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "sozialraum.admin_site.PortalAdminSite"
