from django.apps import AppConfig


class SozialraumConfig(AppConfig):
    name = "sozialraum"
    verbose_name = "Sozialraum, Träger und Benutzer"
