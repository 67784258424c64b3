#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs tmfd on config/tmfd.yaml
# (SQLite file tmfd.db in this folder, in-process event bus, the party module) on
# http://127.0.0.1:8080. Extra arguments go to tmfd, e.g. scripts/run.sh --config other.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh tmfd tmfd_party
exec build/tmfd --config config/tmfd.yaml "$@"
