"""A second database for the commands that read or write another instance than the portal's
own (`compare_instances --mit`, `import_instance --datenbank`): registered as an extra
connection alias with the portal's own connection settings and the other URL's name, host,
user and password."""

import hashlib

import dj_database_url
from django.db import connections


def database_alias(url: str) -> str:
    """The connection alias for `url` (registered on first use)."""
    alias = "exchange_" + hashlib.sha256(url.encode()).hexdigest()[:12]
    if alias not in connections.settings:
        try:
            parsed = dj_database_url.parse(url)
        except ValueError:
            raise ValueError("Die Datenbank-URL ist ungültig (z. B. postgres://…/name).") from None
        config = dict(connections.settings["default"])
        config["OPTIONS"] = dict(config.get("OPTIONS") or {})
        if parsed["ENGINE"] != config["ENGINE"]:
            config["OPTIONS"] = {}
        for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT"):
            config[key] = parsed.get(key, "")
        config["TEST"] = {**config["TEST"], "NAME": None}
        connections.settings[alias] = config
    return alias


def database_alias_drop(alias: str) -> None:
    if alias in connections.settings:
        connections[alias].close()
        del connections.settings[alias]
