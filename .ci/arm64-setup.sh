#!/usr/bin/env bash
# Sets up an aarch64 Java 17 + OpenBLAS runtime for running tests under qemu-user, without touching the host's
# JDK or its dpkg database:
#   - installs qemu-user-static (apt, amd64) when qemu-aarch64-static is missing;
#   - downloads Debian's arm64 packages with a private apt state (APT::Architecture=arm64, own lists, own cache,
#     empty dpkg status; the host's apt sources and configuration), so no `dpkg --add-architecture` is needed;
#   - extracts them with dpkg -x into $PDQ_ARM64_HOME/root and links libopenblas.so.0 / libblas.so.3 to the
#     pthread OpenBLAS as update-alternatives would on a real arm64 system.
# The packages are the minimal set the JVM and OpenBLAS need to start (checked with readelf -d, NEEDED entries):
#   openjdk-17-jre-headless (java, libjli, libjvm, libjava, libzip, ...): libc6, libgcc-s1, libstdc++6, zlib1g
#   libopenblas0-pthread: libc6, libgfortran5 (which needs libgcc-s1)
# Run as root (apt-get install). Idempotent and cached: a finished root is reused without network access; pass
# --refresh to download the current package versions again. Prints the root's path on stdout at the end.
# Run the JVM with .ci/java-arm64/bin/java (qemu-aarch64-static -L ROOT ROOT/usr/lib/jvm/java-17-openjdk-arm64/bin/java).
set -euo pipefail

PACKAGES=(openjdk-17-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g libopenblas0-pthread libgfortran5)
home=${PDQ_ARM64_HOME:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/pdq/arm64}
root=$home/root
stamp=$root/.pdq-arm64-packages
java_rel=usr/lib/jvm/java-17-openjdk-arm64/bin/java

log() { echo "arm64-setup: $*" >&2; }
die() { echo "arm64-setup: ERROR: $*" >&2; exit 1; }

refresh=0
case "${1:-}" in
  --refresh) refresh=1 ;;
  "") ;;
  *) die "unknown argument '$1' (usage: $0 [--refresh])" ;;
esac

if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "qemu-aarch64-static is missing and installing it needs root"
  log "installing qemu-user-static"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q qemu-user-static >&2 || { apt-get update -q >&2 && apt-get install -y -q qemu-user-static >&2; } \
    || die "cannot install qemu-user-static with apt-get (no network or no Debian archive?)"
fi

# A root that was finished (stamp written last) and whose java starts is reused as is.
if [ "$refresh" = 0 ] && [ -f "$stamp" ] && [ -x "$root/$java_rel" ] \
    && qemu-aarch64-static -L "$root" "$root/$java_rel" -version >/dev/null 2>&1; then
  log "reusing $root ($(tr '\n' ' ' < "$stamp"))"
  echo "$root"
  exit 0
fi

# Private apt state: own package lists and cache, an empty dpkg status, arm64 only. The host's sources and
# apt.conf.d are used as they are (Dir::Etc is not changed).
apt_dir=$home/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$home/debs"
: > "$apt_dir/status"
apt_opts=(-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::status=$apt_dir/status"
          -o "Dir::Cache=$apt_dir/cache" -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64"
          -o "APT::Sandbox::User=root")

log "updating the arm64 package lists (private apt state in $apt_dir)"
apt-get -q "${apt_opts[@]}" update >&2 \
  || die "apt-get update for arm64 failed: the Debian archive must be reachable to set up the aarch64 tests"

log "downloading ${PACKAGES[*]} (arm64)"
(cd "$home/debs" && rm -f ./*.deb && apt-get -q "${apt_opts[@]}" download "${PACKAGES[@]/%/:arm64}" >&2) \
  || die "apt-get download of the arm64 packages failed"

# Extract into a fresh folder, then swap it in: a half-extracted root is never left under the final name.
tmp=$home/root.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
for deb in "$home/debs"/*.deb; do
  dpkg -x "$deb" "$tmp"
done

# Absolute symlinks (conf files into /etc, the JDK's links into /usr/share) would point at the host's files:
# make them relative, inside the root.
while IFS= read -r -d '' link; do
  target=$(readlink "$link")
  ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$tmp$target")" "$link"
done < <(find "$tmp" -type l -lname '/*' -print0)

# What update-alternatives does on a real system: the generic names lead to the pthread OpenBLAS.
libdir=$tmp/usr/lib/aarch64-linux-gnu
[ -f "$libdir/openblas-pthread/libopenblas.so.0" ] || die "libopenblas0-pthread did not provide openblas-pthread/libopenblas.so.0"
ln -sfn openblas-pthread/libopenblas.so.0 "$libdir/libopenblas.so.0"
ln -sfn openblas-pthread/libblas.so.3 "$libdir/libblas.so.3"

qemu-aarch64-static -L "$tmp" "$tmp/$java_rel" -version >&2 || die "the extracted arm64 java does not start under qemu"

for deb in "$home/debs"/*.deb; do
  dpkg-deb -W --showformat='${Package}=${Version}\n' "$deb"
done > "$tmp/.pdq-arm64-packages"

rm -rf "$root.old"
[ -e "$root" ] && mv "$root" "$root.old"
mv "$tmp" "$root"
rm -rf "$root.old"
log "ready: $root"
echo "$root"
