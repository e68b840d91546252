from django.apps import AppConfig


class KjhstatConfig(AppConfig):
    name = "kjhstat"
    verbose_name = "KJH-Statistik"
