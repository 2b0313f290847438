#!/usr/bin/env bash
# Synced spool appends per second and their latency, 4 KB messages, from 1 and 50 threads (JMH).
# Usage: bench/spool.sh [extra JMH options]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
. .mvn/jdk.sh
./mvnw -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
for threads in 1 50; do
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    org.openjdk.jmh.Main SpoolAppendBenchmark -f 1 -wi 2 -w 3s -i 3 -r 5s -t "$threads" "$@"
done
