"""Celery tasks of the documents app: thin wrappers around its services, ids only."""

from celery import shared_task

from documents import letters, orphans, print_files


@shared_task(
    name="documents.letter_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=letters.BATCH_TIME_LIMIT - 300,
    time_limit=letters.BATCH_TIME_LIMIT,
)
def letter_batch_run(batch_id: int) -> str:
    """Make the letters of one batch (idempotent: a finished batch is left alone and a
    re-delivered message skips the letters already made)."""
    batch = letters.letter_batch_run(batch_id=batch_id)
    return batch.state if batch is not None else "missing"


@shared_task(name="documents.orphans_remove", ignore_result=True)
def orphans_remove() -> int:
    """The nightly sweep of files no document points at (`documents.orphans`)."""
    return orphans.document_files_orphans_remove()


@shared_task(name="documents.combined_expire", ignore_result=True)
def combined_expire() -> int:
    """The nightly deletion of letter batches' combined PDFs (`documents.print_files`)."""
    return print_files.batches_combined_expire()


@shared_task(name="documents.letter_batches_check", ignore_result=True)
def letter_batches_check() -> dict:
    """Every minute (celery beat): queue batches that never reached the broker or were left by
    a killed worker (`documents.letters.letter_batches_check`)."""
    result = letters.letter_batches_check()
    return {"queued": result.queued, "resumed": result.resumed, "failed": result.failed}
