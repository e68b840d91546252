from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app, for its management commands (demo, test)."""

    name = "portal"
    verbose_name = "Portal"
