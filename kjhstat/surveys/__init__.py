"""The surveys of the KJH statistics; importing this package registers each of them."""

from kjhstat.surveys import (
    assessments,  # noqa: F401  § 8a
    helps,  # noqa: F401  Teil I
    protection_measures,  # noqa: F401  § 42, § 42a
    spending,  # noqa: F401  Teil IV
)
