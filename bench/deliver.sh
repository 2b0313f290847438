#!/usr/bin/env bash
# Messages delivered per second with a backlog, to Postfix's smtp-sink (apt-get install postfix knot):
# small DKIM-signed messages to one receiving site over N connections (default 10, the per-site
# default), connection reuse, synced spool state per recipient. Usage: bench/deliver.sh [messages] [connections]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
. .mvn/jdk.sh
messages="${1:-50000}"
connections="${2:-10}"
./mvnw -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" dev.mailroom.bench.DeliveryLoad "$messages" "$connections" 2>/dev/null \
  | grep -E '^deliver '
