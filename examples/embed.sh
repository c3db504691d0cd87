#!/bin/sh
# Plan one case through the command and through the HTTP service, and check that both give
# the same JSON: what a journal system written in another language does. Needs hembesok
# with the server extra (pip install 'hembesok[server]'), curl and jq.
#
#   sh examples/embed.sh [CASE.json] [AS_OF]
set -eu

case_file=${1:-"$(dirname "$0")/vaggeryd-first-child.json"}
as_of=${2:-2026-05-04}
work=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# 1. The command: the case on standard input, the plan as JSON on standard output.
hembesok plan - --as-of "$as_of" --format json <"$case_file" >"$work/command.json"

# 2. HTTP: the service on a free loopback port, which it names on standard error.
hembesok serve --port 0 --no-access-log 2>"$work/serve.log" &
server=$!
port=
for _ in $(seq 1 300); do
    port=$(sed -n 's|.*serving on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "embed.sh: the service did not start:" >&2
    cat "$work/serve.log" >&2
    exit 1
fi
curl --silent --show-error --fail-with-body --retry 30 --retry-connrefused --retry-delay 1 \
    --header 'content-type: application/json' --data-binary @"$case_file" \
    "http://127.0.0.1:$port/v1/plan?as_of=$as_of" >"$work/http.json"

# 3. The same JSON, whatever the key order and spacing.
jq --sort-keys . "$work/command.json" >"$work/command.sorted"
jq --sort-keys . "$work/http.json" >"$work/http.sorted"
if ! diff -u "$work/command.sorted" "$work/http.sorted" >&2; then
    echo "embed.sh: the command and HTTP gave different plans" >&2
    exit 1
fi
echo "same plan through the command and HTTP ($(jq -r '.["$schema"]' "$work/http.json")):"
jq -r '.programs[] | "  \(.program.id) \(.program.version): \(.decision.status)"' "$work/http.json"
