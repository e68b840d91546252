"""Letters: 500 invitations to overdue Hilfeplangespräche as one batch — seconds and peak memory.

Run on a database with the demo town (`manage.py demo_town`; PostgreSQL recommended):

    DATABASE_URL=postgres://…/db SOZIALRAUM_NO_BOOTSTRAP=1 \\
        .venv/bin/python -m benchmarks.letters [--count 500] [--combined]

It adds `--count` individual cases in region Nord (numbers `BL-…`, removed again at the start of
the next run), each with a guardian, a goal with a step, a help, its plan and one overdue review;
then it runs the batch the way the Celery worker does (`documents.letters.letter_batch_run`) in
this process and prints the seconds, the letters per second, the queries, the stored bytes and
the process's peak resident memory before and after. Nothing is asserted: this only measures.
"""

import argparse
import datetime
import json
import resource
import time


def _build(count: int) -> list[int]:
    from django.db import transaction
    from django.utils import timezone

    from cases.models import (
        ActionStep,
        Case,
        CaseStatus,
        Goal,
        Help,
        HelpPlan,
        HelpPlanReview,
        HelpType,
        Person,
        PersonRole,
        StepOwner,
    )
    from cases.names import name_key
    from cases.services import case_search_words_keep, help_types_ensure
    from documents.models import Document
    from documents.services import document_delete_with_file
    from sozialraum.models import Sozialraum, User

    old = Case.all_objects.filter(number__startswith="BL-")
    for document in Document.objects.filter(case__in=old):
        document_delete_with_file(document=document)
    old.delete()
    help_types_ensure()
    caseworker = User.objects.get(username="asd-nord")
    assert caseworker.asd_team is not None, "run on the demo town (manage.py demo_town)"
    sozialraum = Sozialraum.objects.filter(region=caseworker.asd_team.region).order_by("pk").first()
    assert sozialraum is not None
    spfh = HelpType.objects.get(code="31")
    today = timezone.localdate()
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            Case(
                number=f"BL-{index:05d}",
                kind="individual",
                status=CaseStatus.RUNNING,
                region=sozialraum.region,
                sozialraum=sozialraum,
                steering_caseworker=caseworker,
                created_by=caseworker,
                opened_on=today - datetime.timedelta(days=400),
                concern="Wir möchten, dass es zu Hause ruhiger wird.",
                street="Lindenweg",
                house_number=str(index % 200 + 1),
                postcode="04177",
            )
            for index in range(count)
        )
        Person.objects.bulk_create(
            Person(
                case=case,
                role=PersonRole.GUARDIAN,
                first_name="Sabine",
                last_name=f"Beispiel{index}",
                name_key=name_key("Sabine", f"Beispiel{index}"),
            )
            for index, case in enumerate(cases)
        )
        for case in cases:
            case_search_words_keep(case=case)
        goals = Goal.objects.bulk_create(
            Goal(case=case, text="Wir wollen morgens ohne Streit aus dem Haus kommen.")
            for case in cases
        )
        ActionStep.objects.bulk_create(
            ActionStep(
                goal=goal,
                text="Abends gemeinsam die Schultaschen packen",
                owner=StepOwner.FAMILY,
                due_on=today + datetime.timedelta(days=30),
            )
            for goal in goals
        )
        helps = Help.objects.bulk_create(
            Help(
                case=case,
                sozialraum=sozialraum,
                region_id=sozialraum.region_id,
                help_type=spfh,
                hours_per_week=5,
                starts_on=today - datetime.timedelta(days=300),
                planned_end_on=today + datetime.timedelta(days=65),
                decided_by=caseworker,
            )
            for case in cases
        )
        plans = HelpPlan.objects.bulk_create(
            HelpPlan(help=help_, case=help_.case) for help_ in helps
        )
        HelpPlan.goals.through.objects.bulk_create(
            HelpPlan.goals.through(helpplan_id=plan.pk, goal_id=goal.pk)
            for plan, goal in zip(plans, goals, strict=True)
        )
        reviews = HelpPlanReview.objects.bulk_create(
            HelpPlanReview(
                help_plan=plan, case=plan.case, due_on=today - datetime.timedelta(days=20)
            )
            for plan in plans
        )
    return [review.pk for review in reviews]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--combined", action="store_true", help="also the combined PDF")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum

    from documents.letters import letter_batch_run, letter_templates_ensure
    from documents.letters_schema import LetterKind
    from documents.models import LetterBatch, SentLetter
    from sozialraum.models import User

    began = time.perf_counter()
    review_ids = _build(arguments.count)
    built = time.perf_counter() - began
    letter_templates_ensure()
    lead = User.objects.get(username="leitung-nord")
    batch = LetterBatch.objects.create(
        kind=LetterKind.INVITATION,
        requested_by=lead,
        review_ids=review_ids,
        total=len(review_ids),
        with_combined=arguments.combined,
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        finished = letter_batch_run(batch_id=batch.pk)
    seconds = time.perf_counter() - began
    assert finished is not None
    batch = finished
    made = SentLetter.objects.filter(batch=batch)
    size = made.aggregate(total=Sum("document__size"))["total"] or 0
    print(
        json.dumps(
            {
                "letters": batch.made,
                "skipped": batch.skipped,
                "state": batch.state,
                "combined_pdf": bool(batch.combined),
                "seconds_build_cases": round(built, 1),
                "seconds_batch": round(seconds, 1),
                "letters_per_second": round(batch.made / seconds, 1) if seconds else None,
                "queries": queries[0],
                "queries_per_letter": round(queries[0] / max(batch.made, 1)),
                "stored_mib": round(size / 1_048_576, 1),
                "rss_before_mib": round(rss_before / 1024),
                "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "database": connection.vendor,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
