"""The demo town shows documents: on the demo accounts' running cases, the signed help plan
shared with the commissioned provider, and a move inside the town waiting for the team lead;
running the demo twice adds nothing."""

import pytest
from django.core.management import call_command

from documents.models import CaseMove, Document, DocumentShare, MoveStatus
from documents.selectors import documents_visible_to
from sozialraum.models import User
from tests.documents.conftest import stored_files


@pytest.mark.django_db
def test_demo_documents():
    call_command("demo_town")
    count = Document.objects.count()
    assert count >= 2
    assert len(stored_files()) >= count
    assert DocumentShare.objects.exists()
    provider = User.objects.get(username="traeger-a")
    assert documents_visible_to(provider).exists()
    assert CaseMove.objects.filter(status=MoveStatus.PROPOSED).exists()
    call_command("demo_town")
    assert Document.objects.count() == count
