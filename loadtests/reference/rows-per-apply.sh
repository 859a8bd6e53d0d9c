#!/usr/bin/env bash
# What the database does per apply, from PostgreSQL's own counters (pg_stat_database): seeds 1,000 customers with
# USD 1,000,000.00 each, warms the engine with wrk for 20 s, then divides the counter deltas of a 15 s wrk run
# (2 threads, 64 connections, a new invoice per request) by the applies that answered 2xx.
# With a webhook URL, an endpoint subscribed to every event is registered first (and deleted at the end), so the
# figures include what webhook delivery costs the database; the engine must allow the URL (AllowPrivateTargets for
# loopback). A fast receiver: `dotnet run -c Release --project loadtests/CreditLedger.LoadTests -- echo-server 5391`
# and http://127.0.0.1:5391/echo.
# Needs curl, wrk, psql and python3.
# usage: rows-per-apply.sh ENGINE_URL ADMIN_KEY PG_PORT [DATABASE] [WEBHOOK_URL]
set -euo pipefail
url=$1 key=$2 port=$3 database=${4:-creditledger} webhook=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
prefix="rows$RANDOM-"
auth="Authorization: Bearer $key"
json='Content-Type: application/json'

counters() {
  psql -qtA -h 127.0.0.1 -p "$port" -U postgres "$database" -c \
    "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()"
}

endpoint=
if [ -n "$webhook" ]; then
  endpoint=$(curl -sf -X POST "$url/v1/webhook-endpoints" -H "$auth" -H "$json" -d "{\"url\":\"$webhook\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "webhook endpoint $endpoint -> $webhook"
fi

for step in customer grant; do
  for i in $(seq 0 999); do
    if [ $step = customer ]; then
      curl -sf -o /dev/null -X PUT "$url/v1/customers/$prefix$i" -H "$auth" -H "$json" -d '{"name":"rows per apply"}' &
    else
      curl -sf -o /dev/null -X POST "$url/v1/customers/$prefix$i/credit-grants" -H "$auth" -H "$json" \
        -d '{"type":"monetary","amount":"1000000.00","currency":"USD","reason":"rows per apply"}' &
    fi
    if (( i % 32 == 31 )); then wait; fi
  done
  wait
done

load() { wrk -t2 -c64 -d"$1"s --timeout 30s -s "$here/apply-unique.lua" "$url" -- "$prefix" 1000 "$key" "$2$RANDOM"; }
load 20 warm > /dev/null
# A PostgreSQL backend that goes idle flushes its statistics within 10 s: wait that long before each reading, so
# that the warm-up's rows are not counted in the measured window and the window's rows all are.
sleep 11
before=$(counters)
report=$(load 15 measured)
echo "$report" | grep -E 'Latency|Socket errors|Non-2xx' || true
# The projections (reports, webhooks) also finish their share of the measured applies before the second reading.
sleep 11
after=$(counters)

requests=$(echo "$report" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
refused=$(echo "$report" | sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p')
if [ -n "$endpoint" ]; then
  curl -sf -o /dev/null -X DELETE "$url/v1/webhook-endpoints/$endpoint" -H "$auth"
fi

python3 - "$before" "$after" "$(( requests - ${refused:-0} ))" <<'PY'
import sys
before, after = ([int(v) for v in arg.split("|")] for arg in sys.argv[1:3])
applies = int(sys.argv[3])
commits, inserted, updated, deleted = ((b - a) / applies for a, b in zip(before, after))
print(f"{applies} applies in 15 s ({applies / 15:.0f}/s); per apply: {commits:.3f} commits, "
      f"{inserted:.3f} rows inserted, {updated:.3f} rows updated, {deleted:.3f} rows deleted")
PY
