#!/usr/bin/env bash
# Messages accepted per second and acceptance latency (p50/p99), over SMTP (STARTTLS + AUTH,
# 50 connections) and over HTTP (50 clients), 4 KB messages, DKIM RSA-2048 + Ed25519, synced spool.
# Needs knotd (apt-get install knot) for the client's DNS. Usage: bench/accept.sh [seconds] [h2|postgres]
# (postgres: a fresh schema in $MAILROOM_TEST_POSTGRES_URL, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
. .mvn/jdk.sh
seconds="${1:-20}"
store="${2:-h2}"
./mvnw -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
for mode in smtp http; do
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" dev.mailroom.bench.AcceptanceLoad "$mode" 50 "$seconds" "$store" 2>/dev/null \
    | grep -E '^(smtp|http) '
done
