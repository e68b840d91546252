"""Property-based run of the published OpenAPI schema (schemathesis): generated requests,
valid and invalid, never get a 500, and every answer matches the schema it documents."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiCall, Scope
from api.services import api_client_create
from tests.network.factories import OfferFactory, PartnerFactory


@pytest.fixture
def api_schema(db, users, settings, sozialraum_nord):
    settings.SOZIALRAUM_API_RATE = "100000/m"
    partner = PartnerFactory(sozialraum=sozialraum_nord)
    OfferFactory(partner=partner, sozialraum=sozialraum_nord, age_min=3, age_max=10)
    # Django's own test client keeps the test's database connection open across requests; the
    # plain WSGI handler that schemathesis calls would close it at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(users):
    return api_client_create(
        name="Schemathesis", scopes=list(Scope.values), created_by=users["admin"]
    ).token


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_no_server_error_and_answers_match_the_schema(api_schema, token):
    # schemathesis' pytest plugin does not run under this pytest; its strategies do, driven by
    # Hypothesis here, one operation after the other.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            case.validate_response(response, checks=CHECKS)

        run()
    # Every generated request went through the whole stack (and its log).
    assert ApiCall.objects.count() >= 4 * len(operations)
