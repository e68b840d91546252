"""Reading and checking partner and offer CSV files before anything is stored.

Read by the shared CSV reader (`sozialraum/csv_import.py`), like the street directory: a header
line, one object per line; every bad line is reported with its number and reason, and nothing
is imported unless the whole file is valid.

Partners: name;art;strasse;hausnummer;plz;ort;sozialraum;ansprechperson;telefon;email;website;
erreichbarkeit;barrierefreiheit;aktiv;laengengrad;breitengrad
(`sozialraum` only to override the street directory; `art` is the German type name, e.g. Kita.)

Offers: titel;beschreibung;partner;traeger;sozialraum;zielgruppe;alter_von;alter_bis;sprachen;
kostenfrei;kosten;zeiten;ort;zuweisung;gueltig_ab;gueltig_bis
(`partner` is the partner's name, `traeger` the provider's Kurzname: exactly one of them.)
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Choices
from django.utils import timezone

from network.models import Offer, Partner, PartnerType, TargetGroup
from sozialraum.csv_import import ImportInvalid, LineError, csv_date, csv_rows
from sozialraum.models import Provider, Sozialraum

PARTNER_COLUMNS = (
    "name",
    "art",
    "strasse",
    "hausnummer",
    "plz",
    "ort",
    "sozialraum",
    "ansprechperson",
    "telefon",
    "email",
    "website",
    "erreichbarkeit",
    "barrierefreiheit",
    "aktiv",
    "laengengrad",
    "breitengrad",
)
PARTNER_REQUIRED = ("name", "art")
OFFER_COLUMNS = (
    "titel",
    "beschreibung",
    "partner",
    "traeger",
    "sozialraum",
    "zielgruppe",
    "alter_von",
    "alter_bis",
    "sprachen",
    "kostenfrei",
    "kosten",
    "zeiten",
    "ort",
    "zuweisung",
    "gueltig_ab",
    "gueltig_bis",
)
OFFER_REQUIRED = ("titel", "zielgruppe")
_YES = {"ja", "j", "yes", "1", "true", "x"}
_NO = {"nein", "n", "no", "0", "false", ""}


def _yes_no(raw: str, label: str, default: bool) -> bool:
    value = raw.strip().lower()
    if not value:
        return default
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"{label} „{raw}“: bitte ja oder nein.")


def _date(raw: str, label: str) -> datetime.date | None:
    if not raw:
        return None
    try:
        return csv_date(raw)
    except ValueError as problem:
        raise ValueError(f"{label} {problem}") from None


def _age(raw: str, label: str) -> int | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) > 120:
        raise ValueError(f"{label} „{raw}“ ist kein Alter in Jahren (0 bis 120).")
    return int(raw)


def _coordinate(raw: str, label: str, limit: int) -> Decimal | None:
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{label} „{raw}“ ist keine Zahl.") from None
    if not value.is_finite() or abs(value) > limit:
        raise ValueError(f"{label} „{raw}“ liegt außerhalb von ±{limit}.")
    return value.quantize(Decimal("0.000001"))


def _choice(raw: str, choices: type[Choices], label: str):
    wanted = raw.strip().casefold()
    for value, text in choices.choices:
        if wanted in {value.casefold(), text.casefold()}:
            return value
    names = ", ".join(text for _value, text in choices.choices)
    raise ValueError(f"{label} „{raw}“ ist unbekannt ({names}).")


def _sozialraum_by_code(code: str) -> Sozialraum:
    today = timezone.localdate()
    found = Sozialraum.objects.valid_on(today).filter(code__iexact=code).first()
    if found is None:
        raise ValueError(f"Einen heute gültigen Sozialraum „{code}“ gibt es nicht.")
    return found


def _collect(problems: list[str], parse, *args):
    try:
        return parse(*args)
    except ValueError as problem:
        problems.append(str(problem))
        return None


def partners_parse(
    text: str,
) -> tuple[list[tuple[int, Partner, Sozialraum | None]], list[LineError]]:
    """Every good line as an unsaved Partner (and its hand-set Sozialraum, if any), and the
    errors of the bad lines; raises ImportInvalid only when the file as a whole is unusable."""
    parsed: list[tuple[int, Partner, Sozialraum | None]] = []
    names_in_file: dict[str, int] = {}
    existing = {name.casefold() for name in Partner.objects.values_list("name", flat=True)}
    rows, errors = csv_rows(text, columns=PARTNER_COLUMNS, required=PARTNER_REQUIRED)
    for row in rows:
        line, values = row.line, row.values
        problems: list[str] = []
        name = values.get("name", "")
        if not name:
            problems.append("Der Name fehlt.")
        elif name.casefold() in existing:
            problems.append(f"Einen Netzwerkpartner „{name}“ gibt es schon.")
        elif name.casefold() in names_in_file:
            problems.append(f"„{name}“ steht schon in Zeile {names_in_file[name.casefold()]}.")
        names_in_file.setdefault(name.casefold(), line)
        partner_type = _collect(problems, _choice, values.get("art", ""), PartnerType, "Art")
        code = values.get("sozialraum", "")
        sozialraum = _collect(problems, _sozialraum_by_code, code) if code else None
        is_active = _collect(problems, _yes_no, values.get("aktiv", ""), "aktiv", True)
        longitude = _collect(
            problems, _coordinate, values.get("laengengrad", ""), "Längengrad", 180
        )
        latitude = _collect(problems, _coordinate, values.get("breitengrad", ""), "Breitengrad", 90)
        if (longitude is None) != (latitude is None) and not problems:
            problems.append("Bitte Längen- und Breitengrad zusammen angeben.")
        if problems:
            errors.append(LineError(line, " ".join(problems)))
            continue
        partner = Partner(
            name=name,
            partner_type=partner_type,
            street=values.get("strasse", ""),
            house_number=values.get("hausnummer", ""),
            postcode=values.get("plz", ""),
            city=values.get("ort", ""),
            contact_person=values.get("ansprechperson", ""),
            phone=values.get("telefon", ""),
            email=values.get("email", ""),
            website=values.get("website", ""),
            reachability=values.get("erreichbarkeit", ""),
            accessibility=values.get("barrierefreiheit", ""),
            is_active=is_active,
            longitude=longitude,
            latitude=latitude,
        )
        parsed.append((line, partner, sozialraum))
    if not parsed and not errors:
        raise ImportInvalid([LineError(1, "Die Datei enthält keine Netzwerkpartner.")])
    return parsed, errors


def offers_parse(text: str) -> tuple[list[tuple[int, Offer]], list[LineError]]:
    """Every good line as an unsaved Offer of an existing partner or provider, and the errors
    of the bad lines; raises ImportInvalid only when the file as a whole is unusable."""
    parsed: list[tuple[int, Offer]] = []
    partners = {p.name.casefold(): p for p in Partner.objects.all()}
    providers = {p.short_name.casefold(): p for p in Provider.objects.all()}
    rows, errors = csv_rows(text, columns=OFFER_COLUMNS, required=OFFER_REQUIRED)
    for row in rows:
        line, values = row.line, row.values
        problems: list[str] = []
        title = values.get("titel", "")
        if not title:
            problems.append("Der Titel fehlt.")
        partner_name, provider_name = values.get("partner", ""), values.get("traeger", "")
        partner = provider = None
        if bool(partner_name) == bool(provider_name):
            problems.append("Bitte genau eines angeben: partner oder traeger.")
        elif partner_name:
            partner = partners.get(partner_name.casefold())
            if partner is None:
                problems.append(f"Einen Netzwerkpartner „{partner_name}“ gibt es nicht.")
        else:
            provider = providers.get(provider_name.casefold())
            if provider is None:
                problems.append(f"Einen Träger mit dem Kurznamen „{provider_name}“ gibt es nicht.")
        target_group = _collect(
            problems, _choice, values.get("zielgruppe", ""), TargetGroup, "Zielgruppe"
        )
        age_min = _collect(problems, _age, values.get("alter_von", ""), "alter_von")
        age_max = _collect(problems, _age, values.get("alter_bis", ""), "alter_bis")
        if age_min is not None and age_max is not None and age_max < age_min:
            problems.append(f"alter_bis ({age_max}) liegt unter alter_von ({age_min}).")
        is_free = _collect(problems, _yes_no, values.get("kostenfrei", ""), "kostenfrei", True)
        referral = _collect(problems, _yes_no, values.get("zuweisung", ""), "zuweisung", False)
        valid_from = _collect(problems, _date, values.get("gueltig_ab", ""), "gueltig_ab")
        valid_until = _collect(problems, _date, values.get("gueltig_bis", ""), "gueltig_bis")
        if valid_from and valid_until and valid_until < valid_from:
            problems.append("gueltig_bis liegt vor gueltig_ab.")
        code = values.get("sozialraum", "")
        sozialraum = _collect(problems, _sozialraum_by_code, code) if code else None
        if provider is not None and not code:
            problems.append("Bei Angeboten eines Trägers bitte den Sozialraum angeben.")
        if problems:
            errors.append(LineError(line, " ".join(problems)))
            continue
        parsed.append(
            (
                line,
                Offer(
                    partner=partner,
                    provider=provider,
                    sozialraum=sozialraum,
                    title=title,
                    description=values.get("beschreibung", ""),
                    target_group=target_group,
                    age_min=age_min,
                    age_max=age_max,
                    languages=values.get("sprachen", "") or "Deutsch",
                    is_free=is_free,
                    fee_note="" if is_free else values.get("kosten", ""),
                    schedule=values.get("zeiten", ""),
                    place=values.get("ort", ""),
                    referral_required=referral,
                    valid_from=valid_from,
                    valid_until=valid_until,
                ),
            )
        )
    if not parsed and not errors:
        raise ImportInvalid([LineError(1, "Die Datei enthält keine Angebote.")])
    return parsed, errors
