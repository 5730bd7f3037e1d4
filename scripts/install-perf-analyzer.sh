#!/usr/bin/env bash
# Installs Triton's perf_analyzer as .venv/bin/perf_analyzer.
#
# Why this is not a plain `pip install perf-analyzer`: the only real wheel (2.60.0) is tagged
# manylinux_2_38 and its binary needs GLIBC_2.38 and GLIBCXX_3.4.32, while Debian 12 ships
# glibc 2.36, so pip falls back to a 0.1.0 placeholder without a binary. We unpack the real wheel
# and run its binary with the C/C++ runtime of Debian 13 (trixie), taken from Debian's archive
# and unpacked privately under .venv/perf-analyzer/rt (nothing on the system is changed):
# the wrapper starts the binary through trixie's dynamic loader with an explicit library path.
#
# Idempotent: does nothing when the wrapper already runs the pinned version. Fails loudly.
# Environment: VENV (default <repo>/.venv), DEBIAN_ARCHIVE (default below).
set -euo pipefail

PA_VERSION=2.60.0
RUNTIME_PACKAGES=(libc6 libstdc++6 libgcc-s1)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
DEBIAN_ARCHIVE="${DEBIAN_ARCHIVE:-http://deb.debian.org/debian}"
DEST="$VENV/perf-analyzer"
RT="$DEST/rt"
WRAPPER="$VENV/bin/perf_analyzer"
STAMP="$DEST/installed-$PA_VERSION"

log() { echo "install-perf-analyzer: $*"; }
die() { echo "install-perf-analyzer: ERROR: $*" >&2; exit 1; }

[ -x "$VENV/bin/python" ] || die "no virtualenv at $VENV (run scripts/python-env.sh)"

if [ -f "$STAMP" ] && [ -x "$WRAPPER" ] && "$WRAPPER" --version 2>&1 | grep -q "^Perf Analyzer Version"; then
  log "perf_analyzer $PA_VERSION already installed ($WRAPPER)"
  exit 0
fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# 1. The real wheel, whatever the local platform tag says.
log "downloading perf-analyzer $PA_VERSION (manylinux_2_38 wheel)"
"$VENV/bin/python" -m pip download -q --no-deps --only-binary=:all: \
  --platform manylinux_2_38_x86_64 --python-version 3 --implementation py \
  -d "$WORK/wheel" "perf-analyzer==$PA_VERSION"
WHEEL="$(ls "$WORK"/wheel/perf_analyzer-"$PA_VERSION"-*.whl 2>/dev/null | head -n 1)"
[ -n "$WHEEL" ] || die "perf-analyzer $PA_VERSION wheel was not downloaded"

rm -rf "$DEST"
mkdir -p "$DEST/wheel" "$RT"
"$VENV/bin/python" -m zipfile -e "$WHEEL" "$DEST/wheel"
BINARY="$DEST/wheel/perf_analyzer/bin/perf_analyzer"
[ -f "$BINARY" ] || die "the wheel has no perf_analyzer/bin/perf_analyzer"
chmod +x "$BINARY"

# 2. trixie's runtime libraries, through a private apt configuration (own lists, cache, state;
#    the system's apt configuration and sources are not read).
APT_DIR="$WORK/apt"
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/parts" \
  "$APT_DIR/sources.d" "$APT_DIR/debs"
: >"$APT_DIR/status"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$KEYRING" ] || die "$KEYRING is missing (package debian-archive-keyring)"
cat >"$APT_DIR/sources.list" <<EOF
deb [signed-by=$KEYRING] $DEBIAN_ARCHIVE trixie main
EOF
cat >"$APT_DIR/apt.conf" <<EOF
Dir::Etc::Parts "$APT_DIR/parts";
Dir::Etc::Main "/dev/null";
Dir::Etc::SourceList "$APT_DIR/sources.list";
Dir::Etc::SourceParts "$APT_DIR/sources.d";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$APT_DIR/parts";
Dir::State "$APT_DIR";
Dir::State::Lists "$APT_DIR/lists";
Dir::State::status "$APT_DIR/status";
Dir::Cache "$APT_DIR/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
APT::Sandbox::User "root";
Debug::NoLocking "true";
EOF
export APT_CONFIG="$APT_DIR/apt.conf"
log "fetching ${RUNTIME_PACKAGES[*]} from Debian trixie"
apt-get -q -q update || die "apt-get update of the trixie index failed"
(cd "$APT_DIR/debs" && apt-get -q -q download "${RUNTIME_PACKAGES[@]}") \
  || die "apt-get download ${RUNTIME_PACKAGES[*]} failed"
unset APT_CONFIG
for deb in "$APT_DIR"/debs/*.deb; do
  log "unpacking $(basename "$deb")"
  dpkg-deb -x "$deb" "$RT"
done

LOADER=""
for candidate in "$RT/usr/lib64/ld-linux-x86-64.so.2" "$RT/lib64/ld-linux-x86-64.so.2" \
  "$RT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$RT/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"; do
  if [ -e "$candidate" ]; then LOADER="$candidate"; break; fi
done
[ -n "$LOADER" ] || die "trixie's dynamic loader was not found under $RT"
LOADER="$(readlink -f "$LOADER")"

RT_LIBS=""
for dir in "$RT/usr/lib/x86_64-linux-gnu" "$RT/lib/x86_64-linux-gnu"; do
  [ -d "$dir" ] && RT_LIBS="${RT_LIBS:+$RT_LIBS:}$dir"
done
SYSTEM_LIBS="/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu"

# 3. The wrapper. Paths are absolute: the venv is not relocatable anyway.
cat >"$WRAPPER" <<EOF
#!/bin/sh
# perf_analyzer $PA_VERSION run with Debian trixie's C/C++ runtime (see scripts/install-perf-analyzer.sh).
exec "$LOADER" --library-path "$RT_LIBS:$SYSTEM_LIBS" "$BINARY" "\$@"
EOF
chmod +x "$WRAPPER"

# 4. Verify: every library resolves and the binary runs.
if "$LOADER" --library-path "$RT_LIBS:$SYSTEM_LIBS" --list "$BINARY" | grep -q "not found"; then
  "$LOADER" --library-path "$RT_LIBS:$SYSTEM_LIBS" --list "$BINARY" >&2
  die "perf_analyzer has unresolved libraries"
fi
# (perf_analyzer has no --help: an unknown option prints the usage and exits 99.)
VERSION_LINE="$("$WRAPPER" --version 2>&1)" || { echo "$VERSION_LINE" >&2; die "$WRAPPER --version failed"; }
case "$VERSION_LINE" in
  "Perf Analyzer Version"*) ;;
  *) echo "$VERSION_LINE" >&2; die "$WRAPPER --version printed no version" ;;
esac
touch "$STAMP"
log "installed $WRAPPER ($VERSION_LINE)"
