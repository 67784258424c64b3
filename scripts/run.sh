#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs tmfd on config/tmfd.yaml on
# http://127.0.0.1:8080: SQLite file tmfd.db in this folder, in-process event bus, the party,
# catalog, event, trouble_ticket and document modules, and the demo catalog. Extra arguments go
# to tmfd, e.g. --config other.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh tmfd tmfd_party tmfd_catalog tmfd_event tmfd_trouble_ticket tmfd_document
exec build/tmfd --config config/tmfd.yaml "$@"
