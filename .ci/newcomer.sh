#!/usr/bin/env bash
# The newcomer's path (README "Schnellstart"): `python3 manage.py demo` with no DATABASE_URL and no
# REDIS_URL, on a fresh SQLite file in a temporary directory that is removed afterwards. The
# driver (.ci/newcomer.py) logs in over HTTP, requests a committee report and downloads the PDF.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/sozialraum-newcomer.XXXXXX")
trap 'rm -rf "$work"' EXIT
env -u DATABASE_URL -u REDIS_URL python3 .ci/newcomer.py "$work/run"
