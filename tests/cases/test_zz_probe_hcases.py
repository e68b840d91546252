from django.urls import reverse
from tests.cases.test_queries import _queries, _rich_case, _listed_case
from tests.factories import ProviderFactory


def test_probe(client, users, sozialraum_nord, settings):
    settings.FIGURES_CACHE_SECONDS = 0
    provider = users["provider_staff"].provider
    case = _rich_case(users, sozialraum_nord, provider, 3)
    for _ in range(5):
        _listed_case(users, sozialraum_nord)
    client.force_login(users["caseworker"])
    out = {}
    out["list"] = _queries(client, reverse("cases:list"))[0]
    out["list_deep"] = _queries(client, reverse("cases:list"), nach=case.pk + 3)[0]
    out["detail"] = _queries(client, reverse("cases:detail", args=[case.pk]))[0]
    out["assignments_asd"] = _queries(client, reverse("cases:assignment_list"))[0]
    client.force_login(users["provider_staff"])
    out["assignments_provider"] = _queries(client, reverse("cases:assignment_list"))[0]
    out["assignment_detail"] = _queries(client, reverse("cases:assignment_detail", args=[case.assignments.first().pk]))[0]
    print("\nPROBE", out)


def test_probe_detail_sql(client, users, sozialraum_nord, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    settings.FIGURES_CACHE_SECONDS = 0
    provider = users["provider_staff"].provider
    case = _rich_case(users, sozialraum_nord, provider, 3)
    client.force_login(users["caseworker"])
    for url in [reverse("cases:detail", args=[case.pk]), reverse("cases:list")]:
        with CaptureQueriesContext(connection) as c:
            client.get(url)
        print("\nSQL", url)
        for q in c.captured_queries:
            print("  ", q["sql"][:230])
