#!/bin/sh
# fetch-musl-sources.sh: Debian's source packages of the installed libyaml and jansson,
# unpacked (upstream's release with Debian's patches) into a cache kept between runs
# ($XDG_CACHE_HOME/sparkc-test/<source>/src, else ~/.cache/sparkc-test/<source>/src),
# for make test-dist's musl build: musl has no packages of them, so the test builds
# each with its own CMake build.
#
# apt-get source needs deb-src entries, which Debian's machines often lack: this uses
# a private apt configuration whose source entries are the machine's own Debian
# entries turned into deb-src, and leaves the machine's apt setup as it was. Needs
# apt-get and dpkg-source (dpkg-dev). A no-op once the sources are there.
set -e
cache="${XDG_CACHE_HOME:-$HOME/.cache}/sparkc-test"

fetch() { # INSTALLED_BINARY_PACKAGE SOURCE_PACKAGE
	version=$(dpkg-query -W -f='${source:Version}\n' "$1" | head -n 1)
	dir="$cache/$2"
	[ "$(cat "$dir/version" 2>/dev/null)" = "$version" ] && [ -d "$dir/src" ] && return 0
	echo "fetching Debian's source package $2 $version into $dir" >&2
	rm -rf "$dir"
	mkdir -p "$dir/apt/parts" "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial"
	# The machine's Debian entries (deb822 .sources and one-line .list), as deb-src.
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
		grep -qsi 'debian' "$f" || continue     # (also a pattern that matched nothing)
		case "$f" in
		*.sources) sed 's/^Types:.*/Types: deb-src/' "$f" > "$dir/apt/parts/$(basename "$f")" ;;
		*) sed -n 's/^deb \(.*debian.*\)/deb-src \1/p' "$f" > "$dir/apt/parts/$(basename "$f" .list)-src.list" ;;
		esac
	done
	cat > "$dir/apt/apt.conf" <<CONF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$dir/apt/parts";
Dir::State::Lists "$dir/apt/lists";
Dir::Cache "$dir/apt/cache";
CONF
	# apt downloads as _apt, who cannot write into a root-owned cache: download as root.
	[ "$(id -u)" -ne 0 ] || echo 'APT::Sandbox::User "root";' >> "$dir/apt/apt.conf"
	APT_CONFIG="$dir/apt/apt.conf" apt-get update -qq >/dev/null
	(cd "$dir" && APT_CONFIG="$dir/apt/apt.conf" apt-get source -qq --download-only "$2=$version" >/dev/null)
	# (apt checked the files against the signed index; dpkg-source's own signature check
	# warns without Debian's keyring, so its output shows only when it fails)
	log=$(dpkg-source -x "$dir/$2"_*.dsc "$dir/src" 2>&1) || { echo "$log" >&2; return 1; }
	rm -rf "$dir/apt"
	echo "$version" > "$dir/version"
}

fetch libyaml-0-2 libyaml
fetch libjansson4 jansson
