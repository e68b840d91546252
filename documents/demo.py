"""Demo data of the documents app (run by `demo_town` in INSTALLED_APPS order)."""

from documents.demo_documents import documents_demo_build
from documents.demo_letters import letters_demo_build


def demo_build() -> None:
    documents_demo_build()  # documents on demo cases (H5)
    letters_demo_build()
