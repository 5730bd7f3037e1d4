#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Agora: a JDK 17, Maven,
# Python's venv module, Debian's etcd-server (the real etcd that the registry's integration tests
# start on ephemeral ports), then the project's Python virtualenv (.venv) with pinned requirements,
# the Python SDK and perf_analyzer. Idempotent and non-interactive; safe to run on every build.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
command -v dpkg-deb >/dev/null 2>&1 || need+=(dpkg)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
[ -x /usr/bin/etcd ] || need+=(etcd-server)

if [ ${#need[@]} -gt 0 ]; then
  echo "install-prereqs: installing ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
else
  echo "install-prereqs: Java, Maven, Python venv and etcd already present"
fi

bash scripts/python-env.sh
