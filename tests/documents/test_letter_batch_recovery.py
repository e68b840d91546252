"""A letter batch survives a broker outage and a killed worker: the check every minute queues
what never arrived and what was left running, and a second message for a batch that is being
made makes no letter twice."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from documents import letters
from documents.models import BatchState, LetterBatch, SentLetter
from documents.tasks import letter_batch_run as letter_batch_task
from documents.tasks import letter_batches_check as letter_batches_check_task

pytestmark = pytest.mark.django_db
OUTAGE = "Der Hintergrunddienst ist gerade nicht erreichbar"


@pytest.fixture
def overdue_review(help_nord):
    review = help_nord.help_plan.reviews.get()
    type(review).objects.filter(pk=review.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    review.refresh_from_db()
    return review


@pytest.fixture
def broker(monkeypatch, settings):
    """The broker as the tests want it: `broker.down = True` refuses messages; `sent` lists the
    batch ids it took."""

    class Broker:
        down = False
        sent: list[int] = []

        def apply_async(self, args, **kwargs):
            if self.down:
                raise ConnectionError("Redis ist weg")
            self.sent.append(args[0])

    fake = Broker()
    fake.sent = []
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(letter_batch_task, "apply_async", fake.apply_async)
    return fake


def test_a_batch_requested_while_the_broker_is_away_starts_once_it_is_back(
    client, users, overdue_review, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        batch = letters.letter_batch_request(
            user=users["caseworker"], reviews=[overdue_review], with_combined=False
        )
    batch.refresh_from_db()
    assert (batch.state, batch.queued_at) == (BatchState.WAITING, None)
    client.force_login(users["caseworker"])
    page = client.get(reverse("documents:letter_batch", args=[batch.pk])).content.decode()
    assert OUTAGE in page and "d-none" not in page.split(OUTAGE)[0].rsplit("<p", 1)[1]

    # Still away: the check tries and leaves it waiting.
    assert letters.letter_batches_check().queued == 0
    broker.down = False
    assert letters.letter_batches_check().queued == 1
    assert broker.sent == [batch.pk]
    batch.refresh_from_db()
    assert batch.queued_at is not None
    # Queued once is enough while the message can still be on its way.
    assert letters.letter_batches_check().queued == 0
    page = client.get(reverse("documents:letter_batch", args=[batch.pk])).content.decode()
    assert "d-none" in page.split(OUTAGE)[0].rsplit("<p", 1)[1]

    # The worker takes the message: the letter is made.
    letters.letter_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.made, batch.lease_until) == (BatchState.DONE, 1, None)


def test_a_second_message_while_the_batch_is_made_makes_nothing(users, overdue_review, broker):
    batch = letters.letter_batch_request(
        user=users["caseworker"], reviews=[overdue_review], with_combined=False
    )
    # Another worker has claimed it a moment ago.
    LetterBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.RUNNING,
        attempts=1,
        lease_until=timezone.now() + datetime.timedelta(minutes=30),
    )
    letters.letter_batch_run(batch_id=batch.pk)
    assert not SentLetter.objects.exists()
    batch.refresh_from_db()
    assert (batch.state, batch.attempts) == (BatchState.RUNNING, 1)


def test_a_batch_left_running_by_a_killed_worker_is_resumed_and_fails_after_three_tries(
    users, overdue_review, broker
):
    batch = letters.letter_batch_request(
        user=users["caseworker"], reviews=[overdue_review], with_combined=False
    )
    killed = timezone.now() - datetime.timedelta(seconds=1)
    LetterBatch.objects.filter(pk=batch.pk).update(
        state=BatchState.RUNNING, attempts=1, lease_until=killed
    )
    # Within its lease nothing happens; after it, the batch is queued again.
    assert letters.letter_batches_check(now=killed - datetime.timedelta(minutes=1)).resumed == 0
    check = letters.letter_batches_check()
    assert (check.resumed, check.queued) == (1, 1)
    batch.refresh_from_db()
    assert batch.state == BatchState.WAITING
    assert batch.step == "Nach einer Unterbrechung erneut eingereiht"
    letters.letter_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.made, batch.attempts) == (BatchState.DONE, 1, 2)
    assert SentLetter.objects.filter(batch=batch).count() == 1

    # A batch whose runs were killed three times fails and says so.
    again = letters.letter_batch_request(
        user=users["caseworker"], reviews=[overdue_review], with_combined=False
    )
    LetterBatch.objects.filter(pk=again.pk).update(
        state=BatchState.RUNNING, attempts=letters.BATCH_MAX_ATTEMPTS, lease_until=killed
    )
    assert letters.letter_batches_check().failed == 1
    again.refresh_from_db()
    assert again.state == BatchState.FAILED
    assert again.error.startswith("Der Briefstapel wurde 3-mal unterbrochen")
    assert again.finished_at is not None


def test_the_check_runs_every_minute_as_a_task(users, overdue_review, broker):
    schedule = settings.CELERY_BEAT_SCHEDULE["documents-letter-batches-check"]
    assert (schedule["task"], schedule["schedule"]) == ("documents.letter_batches_check", 60.0)
    broker.down = True
    batch = letters.letter_batch_request(
        user=users["caseworker"], reviews=[overdue_review], with_combined=False
    )
    broker.down = False
    assert letter_batches_check_task() == {"queued": 1, "resumed": 0, "failed": 0}
    assert broker.sent == [batch.pk]
