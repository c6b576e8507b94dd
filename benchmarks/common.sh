# Shared by the benchmark scripts (sourced, from the repository's root).

# The value of the first <$1> element of file $2.
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$2" | head -n 1; }

# Copies groupId:artifactId:version ($1) from Maven Central into directory $2.
copy() {
  ./mvnw -q -B -ntp -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact="$1" \
    -DoutputDirectory="$2" -Dmdep.stripVersion=false -Dmdep.overWriteIfNewer=true
}

# Sets otel_jar to the OpenTelemetry Java agent of the version the root pom pins, fetched when missing.
fetch_otel_jar() {
  local version
  version=$(prop opentelemetry-javaagent.version pom.xml)
  otel_jar=benchmarks/target/otel/opentelemetry-javaagent-$version.jar
  if [[ ! -f $otel_jar ]]; then
    printf '[%s] fetching io.opentelemetry.javaagent:opentelemetry-javaagent:%s\n' "$(basename "$0" .sh)" "$version"
    copy "io.opentelemetry.javaagent:opentelemetry-javaagent:$version" benchmarks/target/otel
  fi
}
