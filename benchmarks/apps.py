from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Benchmark tooling only: installed by `benchmarks.settings`, never by the portal's own."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
