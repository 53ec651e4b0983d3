#!/usr/bin/env bash
# What `openasc compute --engine spark` (and tests/scenario/test_engines.py) needs besides the
# dev extra's pyspark: a Java 17 runtime, Debian's openjdk-17-jre-headless. Does nothing when
# a `java` is already on PATH.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

say "Checking Java for Spark (Debian's openjdk-17-jre-headless)"
command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
