#!/bin/sh
# fetch-libyaml-source.sh: Debian's source package of the installed libyaml, unpacked
# (upstream's release with Debian's patches) into a cache kept between runs
# ($XDG_CACHE_HOME/sparkc-test/libyaml, else ~/.cache/sparkc-test/libyaml), for
# make test-dist's musl build: musl has no libyaml package, so the test builds one.
#
# apt-get source needs deb-src entries, which Debian's machines often lack: this uses
# a private apt configuration whose source entries are the machine's own Debian
# entries turned into deb-src, and leaves the machine's apt setup as it was. Needs
# apt-get and dpkg-source (dpkg-dev). A no-op once the source is there.
set -e
version=$(dpkg-query -W -f='${source:Version}\n' libyaml-0-2 | head -n 1)
dir="${XDG_CACHE_HOME:-$HOME/.cache}/sparkc-test/libyaml"
[ "$(cat "$dir/version" 2>/dev/null)" = "$version" ] && [ -d "$dir/src" ] && exit 0
echo "fetching Debian's source package libyaml $version into $dir" >&2
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
cat > "$dir/apt/apt.conf" <<EOF
Dir::Etc::SourceList "/dev/null";
Dir::Etc::SourceParts "$dir/apt/parts";
Dir::State::Lists "$dir/apt/lists";
Dir::Cache "$dir/apt/cache";
EOF
# apt downloads as _apt, who cannot write into a root-owned cache: download as root.
[ "$(id -u)" -ne 0 ] || echo 'APT::Sandbox::User "root";' >> "$dir/apt/apt.conf"
export APT_CONFIG="$dir/apt/apt.conf"
apt-get update -qq >/dev/null
(cd "$dir" && apt-get source -qq --download-only "libyaml=$version" >/dev/null)
# (apt checked the files against the signed index; dpkg-source's own signature check
# warns without Debian's keyring, so its output shows only when it fails)
log=$(dpkg-source -x "$dir"/libyaml_*.dsc "$dir/src" 2>&1) || { echo "$log" >&2; exit 1; }
rm -rf "$dir/apt"
echo "$version" > "$dir/version"
