#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs tmfd on config/tmfd.yaml on
# http://127.0.0.1:8080: SQLite file tmfd.db in this folder, in-process event bus, the modules
# config/tmfd.yaml enables, and the demo catalog. Extra arguments go to tmfd, e.g.
# --config other.yaml, or --check-config to build and check without serving.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Every module and adapter, whichever the config enables.
scripts/build.sh tmfd tmfd_plugins
exec build/tmfd --config config/tmfd.yaml "$@"
