#!/usr/bin/env bash
# DKIM signatures per second for the JDK providers and Amazon Corretto Crypto Provider,
# RSA-SHA256 and Ed25519-SHA256 (JMH). Usage: bench/dkim.sh [extra JMH options]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
. .mvn/jdk.sh
./mvnw -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  org.openjdk.jmh.Main DkimSignBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s "$@"
