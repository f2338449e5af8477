#!/usr/bin/env bash
# Install the system packages the test suite drives for real: a PostgreSQL server and Chromium.
# Only with root and apt; otherwise the tests that need them skip with a visible notice.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "notice: ${need[*]} missing and cannot be installed here; the tests that need them will skip."
  exit 0
fi
echo "installing ${need[*]} with apt-get"
apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
  || echo "notice: apt-get install ${need[*]} failed; the tests that need them will skip."
exit 0
