"""Normalised names, so that "Müller", "Mueller" and "MÜLLER " are found as one."""

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def name_part_key(text: str) -> str:
    # Compose first: a decomposed "u" + combining diaeresis (pasted text) is still "ü" = "ue".
    text = unicodedata.normalize("NFC", text).casefold().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def name_key(first_name: str, last_name: str) -> str:
    """ "last|first" normalised; the last name first so that a prefix search finds families."""
    return f"{name_part_key(last_name)}|{name_part_key(first_name)}"


def name_words(key: str) -> set[str]:
    """The words of a `name_key` that the case list's search looks up (`SearchWord`)."""
    return set(key.replace("|", " ").split())


def title_words(title: str) -> set[str]:
    """The words of a project's title that the case list's search looks up (`SearchWord`)."""
    return set(name_part_key(title).split())
