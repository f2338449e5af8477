#!/usr/bin/env bash
# Run the test suite with a throwaway PostgreSQL server when one can be started.
# pytest's exit 5 (no tests collected) is a failure here, not a pass.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin
pg_dir=""
cleanup() { [ -n "$pg_dir" ] && bash tools/pg-throwaway.sh stop "$pg_dir" >/dev/null 2>&1; }
trap cleanup EXIT
if [ -z "${STRIKEWATCH_TEST_PG:-}" ]; then
  if out=$(bash tools/pg-throwaway.sh start 2>/tmp/strikewatch-pg.err); then
    pg_dir=$(echo "$out" | sed -n 1p)
    export STRIKEWATCH_TEST_PG=$(echo "$out" | sed -n 2p)
    echo "PostgreSQL test server: $STRIKEWATCH_TEST_PG"
  else
    echo "notice: no PostgreSQL server could be started ($(tail -1 /tmp/strikewatch-pg.err)); PostgreSQL tests will skip."
  fi
fi
$BIN/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "pytest collected no tests: failing."; exit 1; fi
exit $rc
