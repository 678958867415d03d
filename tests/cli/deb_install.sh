#!/usr/bin/env bash
# The Debian package as a user gets it: a plain Release build configured for
# /usr, `cpack -G DEB`, then a bare Debian 12 (debootstrap minbase) in a
# chroot where `apt-get install ./aclforge_*.deb` must resolve the package's
# Depends from the mirror. There the installed aclforge must compile the
# installed example from / and from /tmp (the example names its catalog
# `lync2013-internal`, found in /usr/share/aclforge/catalogs), list the
# catalog, print its version; the manual page and the bash completion must
# be installed, and purging the package must leave none of its files.
#
# Needs root (debootstrap, chroot, mounts): exit 77 (skip) otherwise, and
# when the Debian mirror cannot be reached. The bare rootfs is cached as
# ${ACLF_FRESH:-/tmp/aclforge-fresh}/rootfs.tar (made once with debootstrap,
# the same tarball ../shared/tools/fresh-debian.sh uses); the mirror is the
# one of this machine's /etc/apt/sources.list.d/debian.sources. Mounts and the
# chroot are removed on any exit.
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
log() { echo "deb_install: $*"; }

[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot, mounts)"
SRC=${ACLF_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
F=${ACLF_FRESH:-/tmp/aclforge-fresh}
for t in cmake cpack dpkg-shlibdeps file chroot mount; do
	command -v "$t" >/dev/null || fail "needs $t (scripts/setup installs it)"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/aclf-deb.XXXXXX")
ROOT=$W/root
cleanup() {
	local m left
	# deepest mounts first; lazily when busy
	for m in $(awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	left=$(awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts)
	if [ -n "$left" ]; then
		echo "deb_install: still mounted, not removing $W: $left" >&2
		return
	fi
	rm -rf --one-file-system "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

mirror() {
	local m
	m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$m" ] || m=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	echo "${m:-http://deb.debian.org/debian}"
}

# 1. the package, from a plain Release build (no sanitizers, no tests)
log "building the package"
B=$W/build
cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
	-DACLF_TESTS=OFF -DACLF_SANITIZE=OFF -DACLF_FUZZ=OFF -DACLF_WERROR=ON >"$W/cmake.log" 2>&1 ||
	{ tail -20 "$W/cmake.log"; fail "configure"; }
cmake --build "$B" -j"$(nproc)" >"$W/build.log" 2>&1 || { tail -30 "$W/build.log"; fail "build"; }
(cd "$B" && cpack -G DEB) >"$W/cpack.log" 2>&1 || { tail -30 "$W/cpack.log"; fail "cpack -G DEB"; }
! grep -i 'warning' "$W/cpack.log" || fail "cpack warns (above)"
debs=("$B"/aclforge_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one aclforge_*.deb in $B, found: ${debs[*]}"
DEB=${debs[0]}
log "built ${DEB##*/}"

# the control file: name, version (the project's), maintainer, description,
# and Depends on the libraries the binary is linked with
dpkg-deb -f "$DEB" >"$W/control"
version=$(dpkg-deb -f "$DEB" Version)
[ "$(dpkg-deb -f "$DEB" Package)" = aclforge ] || fail "Package: $(cat "$W/control")"
grep -q "project(aclforge VERSION $version " "$SRC/CMakeLists.txt" || fail "Version $version is not the project's"
[ -n "$(dpkg-deb -f "$DEB" Maintainer)" ] || fail "no Maintainer"
[ "$(dpkg-deb -f "$DEB" Description | wc -l)" -ge 3 ] || fail "no long Description: $(cat "$W/control")"
depends=$(dpkg-deb -f "$DEB" Depends)
for lib in libc6 libyaml-0-2 libjansson4; do
	grep -qE "(^|, )$lib( |,|$)" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
dpkg-deb -c "$DEB" | awk '{print $6}' >"$W/contents"
for f in ./usr/bin/aclforge ./usr/share/aclforge/catalogs/lync2013-internal.yaml \
	./usr/share/aclforge/examples/small.yaml ./usr/share/aclforge/examples/two-site.yaml \
	./usr/share/man/man1/aclforge.1.gz ./usr/share/bash-completion/completions/aclforge; do
	grep -qx -- "$f" "$W/contents" || fail "the package lacks $f"
done

# 2. a bare Debian 12 (cached rootfs tarball; made once, atomically)
mkdir -p "$F"
exec 9>"$F/.lock"
flock 9
if [ ! -f "$F/rootfs.tar" ]; then
	command -v debootstrap >/dev/null ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null 2>&1 ||
		fail "needs debootstrap"
	log "creating the Debian 12 rootfs with debootstrap (once, cached in $F/rootfs.tar)"
	rm -rf "$F/build.$$"
	mkdir -p "$F/build.$$"
	if ! debootstrap --variant=minbase --include=git,ca-certificates bookworm "$F/build.$$" \
		"$(mirror)" >"$F/debootstrap.log" 2>&1; then
		rm -rf --one-file-system "$F/build.$$"
		if grep -qiE 'failed to (download|retrieve)|could not resolve|connection (refused|timed out)' \
			"$F/debootstrap.log"; then
			skip "the mirror $(mirror) cannot be reached (see $F/debootstrap.log)"
		fi
		tail -20 "$F/debootstrap.log"
		fail "debootstrap"
	fi
	cp /etc/apt/sources.list.d/debian.sources "$F/build.$$/etc/apt/sources.list.d/" 2>/dev/null || true
	tar -C "$F/build.$$" -cf "$F/rootfs.tar.$$" . && mv "$F/rootfs.tar.$$" "$F/rootfs.tar"
	rm -rf --one-file-system "$F/build.$$"
fi
flock -u 9
exec 9>&-

mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$F/rootfs.tar"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	cp /etc/apt/sources.list.d/debian.sources "$ROOT/etc/apt/sources.list.d/"
	rm -f "$ROOT/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
mkdir -p "$ROOT/var/tmp/pkg"
cp "$DEB" "$ROOT/var/tmp/pkg/"
chmod 755 "$ROOT/var/tmp/pkg"
chmod 644 "$ROOT/var/tmp/pkg/${DEB##*/}"
mount -t proc proc "$ROOT/proc"
mount --rbind /dev "$ROOT/dev"
mount --make-rslave "$ROOT/dev"

# in the chroot, with a clean environment
in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/bash -c "$1"
}

# 3. install: apt resolves the Depends from the mirror
log "apt-get install ./${DEB##*/} in a bare Debian 12"
in_root 'apt-get update -q' >"$W/apt-update.log" 2>&1 ||
	skip "apt-get update in the chroot failed, mirror $(mirror) unreachable? $(tail -3 "$W/apt-update.log")"
in_root "cd /var/tmp/pkg && apt-get install -y -q --no-install-recommends ./${DEB##*/}" >"$W/apt-install.log" 2>&1 ||
	{ tail -30 "$W/apt-install.log"; fail "apt-get install ./${DEB##*/}"; }
in_root 'dpkg-query -W -f="\${Status}\n" aclforge' | grep -qx 'install ok installed' || fail "aclforge not installed"
in_root 'command -v aclforge' | grep -qx /usr/bin/aclforge || fail "aclforge is not /usr/bin/aclforge on PATH"

# 4. the installed program, from several working directories
devices="core1 fw1 lb1 rtr1 rp1"
for dir in / /tmp /usr/share/aclforge/examples; do
	in_root "cd $dir && aclforge compile /usr/share/aclforge/examples/small.yaml" >"$W/compile.out" 2>"$W/compile.err" ||
		fail "aclforge compile from $dir: $(cat "$W/compile.err")"
	for d in $devices; do
		grep -q "$d" "$W/compile.out" || fail "compile from $dir: device $d missing from the output"
	done
	grep -q 'server-47' "$W/compile.out" || fail "compile from $dir: no catalog provenance in the output"
done
# a relative topology path, and a topology outside the examples directory
in_root 'cd /usr/share/aclforge/examples && aclforge compile small.yaml --device core1' >"$W/out" 2>&1 ||
	fail "compile small.yaml in the examples directory: $(cat "$W/out")"
grep -q core1 "$W/out" || fail "compile --device core1: $(head "$W/out")"
in_root 'cp /usr/share/aclforge/examples/two-site.yaml /root/site.yaml && cd / && aclforge render /root/site.yaml --out /tmp/cfg' \
	>"$W/out" 2>&1 || fail "render a copied topology (catalog from /usr/share/aclforge/catalogs): $(cat "$W/out")"
in_root 'ls /tmp/cfg' | grep -q '\.junos$' || fail "render --out wrote no .junos file"
# a checkout at the path the package was built from is never read: a broken
# catalog planted there changes nothing for the installed program
in_root "mkdir -p '$SRC/inventory/catalogs' && printf 'rows: [\n' >'$SRC/inventory/catalogs/lync2013-internal.yaml'" ||
	fail "plant a catalog at $SRC"
in_root 'cd / && aclforge compile /usr/share/aclforge/examples/small.yaml --device core1' >"$W/out" 2>&1 ||
	fail "the installed program read the catalog planted at the source path: $(head -3 "$W/out")"
in_root 'cd /tmp && aclforge catalog' >"$W/out" 2>&1 || fail "aclforge catalog: $(cat "$W/out")"
grep -q '^server-47 ' "$W/out" || fail "aclforge catalog: no row server-47"
in_root 'aclforge --version' >"$W/out" 2>&1 || fail "aclforge --version"
grep -qx "aclforge $version" "$W/out" || fail "aclforge --version prints '$(cat "$W/out")', package is $version"
rc=0
in_root 'aclforge frobnicate' >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "unknown command exits $rc, want 2"

# 5. the manual page and the completion
in_root 'test -f /usr/share/man/man1/aclforge.1.gz && gzip -dc /usr/share/man/man1/aclforge.1.gz' >"$W/page" ||
	fail "no /usr/share/man/man1/aclforge.1.gz"
grep -q '^\.TH ACLFORGE 1 ' "$W/page" || fail "aclforge.1.gz is not the manual page"
grep -q '/usr/share/aclforge/catalogs' "$W/page" || fail "the page does not name the installed catalog directory"
if in_root 'command -v man' >/dev/null 2>&1; then
	in_root 'man -w aclforge' | grep -qx /usr/share/man/man1/aclforge.1.gz || fail "man -w aclforge"
fi
in_root 'source /usr/share/bash-completion/completions/aclforge && complete -p aclforge' | grep -q -- '-F _aclforge' ||
	fail "the bash completion does not register"

# 6. purge leaves nothing of the package
in_root 'apt-get purge -y -q aclforge' >"$W/purge.log" 2>&1 || { tail "$W/purge.log"; fail "apt-get purge aclforge"; }
in_root 'test ! -e /usr/bin/aclforge && test ! -e /usr/share/aclforge && test ! -e /usr/share/man/man1/aclforge.1.gz' ||
	fail "files left after purge"
log "ok (${DEB##*/}: Depends: $depends)"
