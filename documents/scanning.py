"""The hook for a virus scanner, off by default.

`DOCUMENTS_VIRUS_SCANNER` (environment `SOZIALRAUM_DOCUMENTS_VIRUS_SCANNER`) names a callable
by its dotted path, e.g. `myoffice.clamav.scan`. It is called with the file's bytes and its
(safe) name and returns None when the file is clean, or a short reason when it is not. The
portal then refuses the upload with a German message and stores nothing. A scanner that
raises an error refuses as well (fail closed): an unchecked file is never stored while a
scanner is configured.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Scanner = Callable[[bytes, str], str | None]

REFUSED = (
    "Die Virenprüfung hat die Datei abgelehnt. Sie wurde nicht gespeichert; "
    "bitte wenden Sie sich an die IT, wenn Sie die Datei für unbedenklich halten."
)
UNAVAILABLE = (
    "Die Virenprüfung ist gerade nicht erreichbar; die Datei wurde nicht gespeichert. "
    "Bitte versuchen Sie es später noch einmal."
)


def scanner_configured() -> Scanner | None:
    path = getattr(settings, "DOCUMENTS_VIRUS_SCANNER", "") or ""
    return import_string(path) if path else None


def virus_check(*, content: bytes, name: str) -> None:
    """Raise ValidationError (German) when a configured scanner refuses the file or fails."""
    scanner = scanner_configured()
    if scanner is None:
        return
    try:
        finding = scanner(content, name)
    except Exception as error:
        # The class name only: a message could quote the file's content.
        logger.error("virus scanner failed: %s", type(error).__name__)
        raise ValidationError(UNAVAILABLE, code="scanner_failed") from error
    if finding:
        logger.warning("virus scanner refused an upload")
        raise ValidationError(REFUSED, code="infected")
