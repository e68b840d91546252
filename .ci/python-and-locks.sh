#!/usr/bin/env bash
# One Python, one set of versions (called from .ci/run):
# - python3 here has the minor version of the Dockerfile's FROM line, the only place it is set;
# - every dependency of pyproject.toml is pinned in requirements.lock (CI, manage.py's bootstrap);
# - requirements-prod.lock (the image) pins exactly the versions of requirements.lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

image=$(sed -n 's/^FROM python:\([0-9]*\.[0-9]*\).*/\1/p' Dockerfile)
here=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ -z "$image" ] || [ "$image" != "$here" ]; then
    echo "!! python3 ist $here, das Image (Dockerfile, FROM) nutzt ${image:-?}: CI muss die Version des Images testen" >&2
    exit 1
fi

pins() { grep -hoE '^[A-Za-z0-9._-]+==[^ ;]+' "$1" | tr 'A-Z_.' 'a-z--' | sort; }
drift=$(comm -23 <(pins requirements-prod.lock) <(pins requirements.lock))
if [ -n "$drift" ]; then
    echo "!! requirements-prod.lock weicht von requirements.lock ab:" >&2
    echo "$drift" >&2
    exit 1
fi

python3 - <<'PY'
import re
import sys
import tomllib

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
locked = {
    re.sub(r"[-_.]+", "-", line.split("==")[0]).lower()
    for line in open("requirements.lock")
    if "==" in line and not line.startswith((" ", "#"))
}
missing = [
    spec for spec in wanted if re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~; ]", spec)[0]).lower()
    not in locked
]
if missing:
    print(
        "!! Nicht in requirements.lock: " + ", ".join(missing) + ". Neu erzeugen (README, "
        "„Abhängigkeiten“).",
        file=sys.stderr,
    )
    sys.exit(1)
PY
echo "-- Python $here wie im Image; requirements.lock und requirements-prod.lock stimmen überein"
