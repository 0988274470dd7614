# Shared by ./kava, ./run-tests and .ci/run: find JDK 25 and run the pinned Maven.
# shellcheck shell=bash

KAVA_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# kava_java_home: print a JDK home whose java is version 25 or newer.
# JAVA_HOME wins when it is new enough; else the usual JDK locations are searched.
kava_java_version() { # prints the feature version of $1/bin/java, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
kava_java_home() {
  local cand v
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$cand" ] && [ -d "$cand" ] || continue
    v=$(kava_java_version "$cand")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$cand"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(kava_java_version "$cand")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$cand"; return 0; fi
  fi
  echo "kava: needs a JDK 25 or newer; install one (for example Temurin 25 or openjdk-25-jdk) or set JAVA_HOME to it" >&2
  return 1
}

# The Maven repository base for the wrapper's download of Maven itself.
kava_maven_repo() {
  if [ -n "${MVNW_REPOURL:-}" ]; then echo "$MVNW_REPOURL"; return; fi
  local url=""
  if [ -f "$HOME/.m2/settings.xml" ]; then
    url=$(sed -n '/<mirror>/,/<\/mirror>/s:.*<url>\(.*\)</url>.*:\1:p' "$HOME/.m2/settings.xml" | head -n1)
  fi
  if [ -z "$url" ]; then
    local jar
    for jar in /usr/share/maven/lib/maven-model-builder*.jar "$(dirname "$(readlink -f "$(command -v mvn 2>/dev/null || echo /nonexistent)")")"/../lib/maven-model-builder*.jar; do
      [ -f "$jar" ] || continue
      url=$(unzip -p "$jar" org/apache/maven/model/pom-4.0.0.xml 2>/dev/null | sed -n 's:.*<url>\(.*\)</url>.*:\1:p' | head -n1)
      [ -n "$url" ] && break
    done
  fi
  echo "${url%/}"
}

kava_mvn() {
  local jh repo
  jh=$(kava_java_home) || return 1
  repo=$(kava_maven_repo)
  if [ -z "$repo" ] && [ ! -d "$HOME/.m2/wrapper/dists" ]; then
    echo "kava: cannot tell where to download Maven from: set MVNW_REPOURL to your Maven repository" >&2
    return 1
  fi
  JAVA_HOME="$jh" MVNW_REPOURL="$repo" "$KAVA_HOME/mvnw" -f "$KAVA_HOME/pom.xml" "$@"
}
