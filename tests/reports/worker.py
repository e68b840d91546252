"""A real Celery worker for the broker tests: `python -m tests.reports.worker`.

It is the production worker plus two test-only settings. With REPORT_TEST_GATE set, the
first report to reach the PDF layout after the gate was armed (a file `armed` in that folder)
stops there, says so (the file becomes `reached`, holding the render process's id) and waits
to be killed. So a test can kill a
worker in the middle of a render without guessing at timings, and nothing of this is in the
portal's own code.
"""

import os
import time
from pathlib import Path


def _gate_the_layout(folder: Path) -> None:
    from reports import rendering

    real = rendering.report_pdf

    def gated(content: dict, *, map_html: str = ""):
        try:
            (folder / "armed").rename(folder / "reached")
        except FileNotFoundError:
            return real(content, map_html=map_html)
        (folder / "reached").write_text(str(os.getpid()))  # the process doing the render
        while True:  # mid-render; the test kills this worker now
            time.sleep(0.2)

    rendering.report_pdf = gated


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from portal.celery import app

    if os.environ.get("REPORT_TEST_GATE"):
        _gate_the_layout(Path(os.environ["REPORT_TEST_GATE"]))
    if os.environ.get("REPORT_TEST_FAST_RESTORE"):
        # Redis re-delivers unacknowledged messages in sweeps about every 100 s; a test need not
        # wait that long (the visibility timeout itself comes from the settings, as in production).
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "unacked_restore_interval": 2,
            "unacked_restore_throttle": 1,
        }
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            f"--hostname=report-test-{os.getpid()}@%h",
        ]
    )


if __name__ == "__main__":
    main()
