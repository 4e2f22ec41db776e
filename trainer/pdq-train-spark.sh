#!/usr/bin/env bash
# Runs pdq-train with Apache Spark on the class path, for `train --engine spark` on one machine (local[N]) or
# against a cluster's master, without spark-submit. Needs the build's trainer/target/pdq-train.jar and
# trainer/target/spark-classpath.txt (Spark's jars in ~/.m2, written by `mvn package`). On a cluster, use
# spark-submit instead (trainer/SPARK.md).
#
#   trainer/pdq-train-spark.sh train --engine spark --master 'local[2]' --train file:///data/train ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/pdq-train.jar"
cp_file="$here/target/spark-classpath.txt"
for f in "$jar" "$cp_file"; do
    if [[ ! -f "$f" ]]; then
        echo "pdq-train-spark: $f is missing: build first (mvn -B -q -DskipTests package)" >&2
        exit 1
    fi
done
# Spark on Java 17: the module openings spark-submit adds (Spark's JavaModuleOptions; the trainer's pom passes the
# same to the tests)
opens=(-XX:+IgnoreUnrecognizedVMOptions
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
    --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
    -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)
# local mode (--master local[...], or none given): Spark binds to the loopback; say so, or it warns that the host
# name resolves to a loopback address
if [[ -z "${SPARK_LOCAL_IP:-}" ]]; then
    master="" prev=""
    for a in "$@"; do
        [[ "$prev" == "--master" ]] && master="$a"
        [[ "$a" == --master=* ]] && master="${a#--master=}"
        prev="$a"
    done
    if [[ -z "$master" || "$master" == local* ]]; then
        export SPARK_LOCAL_IP=127.0.0.1
    fi
fi
exec java "${opens[@]}" ${PDQ_JAVA_OPTS:-} -cp "$jar:$(cat "$cp_file")" dev.pdq.train.cli.TrainMain "$@"
