#!/bin/sh
# dist.sh BUILD_DIR DIST_DIR : make dist's release, for linux-amd64 and linux-arm64:
#
#   sparkc-VERSION-linux-ARCH.tar.gz   the static binary, man page, completions, the
#                                      job schema, LICENSE, README.md, CHANGELOG.md and
#                                      the licences of what is linked in (licenses/)
#   sparkc_VERSION_ARCH.deb            the same files as a Debian package (dpkg-deb)
#   sparkc-VERSION-linux-ARCH.oci.tar  an OCI image (an oci-archive): FROM scratch, the
#                                      binary as its entrypoint, built by umoci (no daemon)
#   SHA256SUMS                         every file above
#
# Each binary is built in BUILD_DIR/ARCH with release flags, linked statically (libyaml,
# jansson and libc), so one archive runs on any Linux of its architecture. The
# architecture that is not the build machine's is cross-compiled with Debian's cross
# toolchain (gcc-aarch64-linux-gnu) against that architecture's libyaml-dev and
# libjansson-dev (dpkg multiarch).
# Timestamps are the last commit's (SOURCE_DATE_EPOCH), so the same commit gives the
# same archives and packages. tools/install-deps.sh dist installs what this needs.
set -eu
build=$1
out=$2
cd "$(dirname "$0")/.."
version=$(sed -n 's/^#define SPARKC_VERSION "\(.*\)"$/\1/p' compiler/version.h)
[ -n "$version" ] || { echo "dist.sh: no version in compiler/version.h" >&2; exit 1; }
: "${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || date -r compiler/version.h +%s)}"
export SOURCE_DATE_EPOCH
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
host=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-sparkc maintainers <sparkc@users.noreply.localhost>}
archs="amd64 arm64"

rm -rf "$out"
mkdir -p "$out"

# The licences of what the static binary holds besides sparkc: libyaml and jansson
# (Expat) and the GNU C library (LGPL-2.1+, whose terms for static linking this source
# satisfies).
linked_licenses() {
	mkdir -p "$1"
	cp /usr/share/doc/libyaml-0-2/copyright "$1/libyaml"
	cp /usr/share/doc/libjansson4/copyright "$1/jansson"
	cp /usr/share/doc/libc6/copyright "$1/glibc"
}

# A file tree's timestamps, all the last commit's.
set_times() {
	find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

build_binary() { # ARCH
	triple=$(dpkg-architecture -a"$1" -qDEB_HOST_MULTIARCH 2>/dev/null)
	cc=cc
	[ "$1" = "$host" ] || cc="$triple-gcc"
	# embed_tree runs during the build: it is built for this machine (BUILD_CC).
	PKG_CONFIG_LIBDIR="/usr/lib/$triple/pkgconfig" ${MAKE:-make} --no-print-directory -s \
		BUILD="$build/$1" CC="$cc" BUILD_CC=cc BUILD_LDLIBS=-lyaml STATIC=1 \
		CFLAGS="-O2 -ffile-prefix-map=$PWD/=" LDFLAGS=-s "$build/$1/sparkc"
}

archive() { # ARCH
	name="sparkc-$version-linux-$1"
	dir="$build/stage/$name"
	rm -rf "$dir"
	mkdir -p "$dir/completions"
	cp "$build/$1/sparkc" "$dir/sparkc"
	cp doc/sparkc.1 schemas/sparkjob.schema.json LICENSE README.md CHANGELOG.md "$dir/"
	cp completions/sparkc.bash completions/_sparkc "$dir/completions/"
	linked_licenses "$dir/licenses"
	set_times "$dir"
	tar -C "$build/stage" --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime="@$SOURCE_DATE_EPOCH" -cf - "$name" | gzip -9n > "$out/$name.tar.gz"
}

deb() { # ARCH
	root="$build/stage/deb-$1"
	rm -rf "$root"
	mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" \
		"$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
		"$root/usr/share/sparkc" "$root/usr/share/doc/sparkc" "$root/usr/share/lintian/overrides"
	install -m 755 "$build/$1/sparkc" "$root/usr/bin/sparkc"
	gzip -9n < doc/sparkc.1 > "$root/usr/share/man/man1/sparkc.1.gz"
	install -m 644 completions/sparkc.bash "$root/usr/share/bash-completion/completions/sparkc"
	install -m 644 completions/_sparkc "$root/usr/share/zsh/vendor-completions/_sparkc"
	install -m 644 schemas/sparkjob.schema.json "$root/usr/share/sparkc/"
	gzip -9n < CHANGELOG.md > "$root/usr/share/doc/sparkc/CHANGELOG.md.gz"
	deb_changelog | gzip -9n > "$root/usr/share/doc/sparkc/changelog.gz"
	deb_copyright > "$root/usr/share/doc/sparkc/copyright"
	# Static on purpose: the same binary as the release archive, for any Debian or
	# Ubuntu release, with no libyaml version to match.
	printf '%s\n' "sparkc: statically-linked-binary [usr/bin/sparkc]" \
		"sparkc: embedded-library libyaml [usr/bin/sparkc]" > "$root/usr/share/lintian/overrides/sparkc"
	# A static binary holds the libraries it links: Built-Using names their sources.
	libc=libc6-dev-$1-cross
	[ "$1" != "$host" ] || libc=libc6-dev:$1
	built_using=$(dpkg-query -W -f='${source:Package} (= ${source:Version}), ' "$libc" "libyaml-dev:$1" \
		"libjansson-dev:$1")
	cat > "$root/DEBIAN/control" <<EOF
Package: sparkc
Version: $version
Architecture: $1
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Built-Using: ${built_using%, }
Section: devel
Priority: optional
Description: compiler from Spark job YAML to Spark operator manifests
 sparkc compiles MLRun's kind: spark job descriptions, and hand-written Spark
 operator manifests, into Kubernetes manifests for the Spark operator
 (SparkApplication, ScheduledSparkApplication). It works offline and checks
 what the cluster would reject later, each error at its file:line:column:
 names, labels, CPU and memory notation, unknown keys, cron syntax, Spark
 configuration keys and values, secrets written as plain text.
EOF
	(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
	chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
	find "$root" -type d -exec chmod 755 {} +
	set_times "$root"
	dpkg-deb --root-owner-group -Zxz --build "$root" "$out/sparkc_${version}_$1.deb" >/dev/null
}

# The package's changelog in Debian's format (a native package's changelog.gz): this
# release, pointing at CHANGELOG.md.gz for the whole history.
deb_changelog() {
	cat <<EOF
sparkc ($version) unstable; urgency=medium

  * sparkc $version; see CHANGELOG.md.gz for what it holds.

 -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")
EOF
}

# The package's copyright file, in Debian's machine-readable format.
deb_copyright() {
	cat <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: sparkc

Files: *
Copyright: the sparkc authors
License: Apache-2.0
 Licensed under the Apache License, Version 2.0 (the "License"); you may not
 use this file except in compliance with the License.
 .
 Unless required by applicable law or agreed to in writing, software
 distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
 License for the specific language governing permissions and limitations
 under the License.
 .
 On Debian systems, the complete text of the Apache License, Version 2.0 can
 be found in /usr/share/common-licenses/Apache-2.0.
Comment: /usr/bin/sparkc is linked statically with libyaml, jansson and the GNU
 C library; their copyright and licences follow.

EOF
	sed -n '/^Files: \*$/,/^$/p' /usr/share/doc/libyaml-0-2/copyright | sed 's/^Files: \*$/Files: libyaml/'
	# jansson's copyright names its licence and gives the text in a paragraph of its own
	sed -n '/^Files: \*$/,/^$/p' /usr/share/doc/libjansson4/copyright | sed -e 's/^Files: \*$/Files: jansson/' -e '/^$/d'
	awk 'BEGIN { RS = "" } /^License: Expat\n/ { sub(/^License: Expat\n/, ""); print; print "" }' \
		/usr/share/doc/libjansson4/copyright
	cat <<EOF
Files: glibc
Copyright: Free Software Foundation, Inc. and the GNU C Library's contributors
License: LGPL-2.1+
 On Debian systems, the complete text of the GNU Lesser General Public
 License, version 2.1, can be found in /usr/share/common-licenses/LGPL-2.1;
 the GNU C library's own copyright file is /usr/share/doc/libc6/copyright.
EOF
}

image() { # ARCH
	layout="$build/stage/oci-$1"
	rootfs="$build/stage/rootfs-$1"
	rm -rf "$layout" "$rootfs"
	mkdir -p "$rootfs/usr/bin" "$rootfs/usr/share/sparkc" "$rootfs/usr/share/doc/sparkc" "$rootfs/work"
	install -m 755 "$build/$1/sparkc" "$rootfs/usr/bin/sparkc"
	install -m 644 schemas/sparkjob.schema.json "$rootfs/usr/share/sparkc/"
	install -m 644 LICENSE "$rootfs/usr/share/doc/sparkc/"
	linked_licenses "$rootfs/usr/share/doc/sparkc/licenses"
	set_times "$rootfs"
	history="--history.created=$created --history.author=sparkc"
	umoci init --layout "$layout"
	umoci new --image "$layout:$version"
	# shellcheck disable=SC2086
	umoci insert --rootless --image "$layout:$version" $history \
		--history.created_by="make dist: sparkc $version" "$rootfs" /
	# The runtime's working directory is where a user mounts the repository; no /tmp:
	# sparkc writes only to standard output or into the -o directory.
	# shellcheck disable=SC2086
	umoci config --image "$layout:$version" --created="$created" $history \
		--history.created_by="make dist: configuration" \
		--architecture="$1" --os=linux \
		--config.entrypoint=/usr/bin/sparkc --config.cmd=--help \
		--config.workingdir=/work --config.user=65532:65532 \
		--config.label=org.opencontainers.image.title=sparkc \
		--config.label=org.opencontainers.image.version="$version" \
		--config.label=org.opencontainers.image.licenses=Apache-2.0 \
		--config.label=org.opencontainers.image.description="Spark job YAML to Spark operator manifests"
	umoci gc --layout "$layout"
	set_times "$layout"
	tar -C "$layout" --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime="@$SOURCE_DATE_EPOCH" -cf "$out/sparkc-$version-linux-$1.oci.tar" .
}

for arch in $archs; do
	build_binary "$arch"
	archive "$arch"
	deb "$arch"
	image "$arch"
done
(cd "$out" && sha256sum -- *.tar.gz *.deb *.oci.tar > SHA256SUMS)
ls -l "$out" >&2
