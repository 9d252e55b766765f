#!/bin/sh
# action-install.sh: the GitHub Action's install step (action.yml). Puts sparkc on the
# job's PATH (through $GITHUB_PATH): the release archive for the runner's architecture
# when one matches, checked against the release's SHA256SUMS, else sparkc built from
# the action's own source with make (after `make deps`: apt on Ubuntu runners,
# Homebrew on macOS).
#
# Reads the runner's variables (RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH,
# GITHUB_ACTION_PATH, GITHUB_SERVER_URL) and the action's inputs:
#   SPARKC_VERSION      a release (0.1.0), `source` to build, or empty: the action's own
#                       version (compiler/version.h of the checked-out action)
#   SPARKC_RELEASE_URL  the directory holding the release's archives and SHA256SUMS;
#                       empty: the action repository's GitHub release vVERSION
#   SPARKC_ACTION_REPOSITORY  owner/name of the action (github.action_repository,
#                       which composite actions do not always get: else read from
#                       the runner's action path, .../_actions/OWNER/NAME/REF)
set -eu
action=${GITHUB_ACTION_PATH:?the runner sets GITHUB_ACTION_PATH}
own_version=$(sed -n 's/^#define SPARKC_VERSION "\(.*\)"$/\1/p' "$action/compiler/version.h")
version=${SPARKC_VERSION:-$own_version}
version=${version#v}
dest="${RUNNER_TEMP:-/tmp}/sparkc-$version/bin"
mkdir -p "$dest"

arch=""
case "${RUNNER_OS:-Linux}/${RUNNER_ARCH:-X64}" in
Linux/X64) arch=amd64 ;;
Linux/ARM64) arch=arm64 ;;
Windows/*) echo "::error title=sparkc::sparkc runs on Linux and macOS runners" >&2; exit 2 ;;
esac

release_url() {
	if [ -n "${SPARKC_RELEASE_URL:-}" ]; then
		echo "$SPARKC_RELEASE_URL"
		return
	fi
	repo=${SPARKC_ACTION_REPOSITORY:-}
	if [ -z "$repo" ]; then
		case "$action" in
		*/_actions/*/*/*) repo=$(echo "$action" | sed 's|.*/_actions/\([^/]*/[^/]*\)/.*|\1|') ;;
		esac
	fi
	[ -n "$repo" ] && echo "${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/v$version"
}

# The release archive, if there is one for this runner: true when installed.
from_release() {
	[ -n "$arch" ] && [ "$version" != source ] || return 1
	url=$(release_url) || return 1
	[ -n "$url" ] || return 1
	name="sparkc-$version-linux-$arch"
	tmp=$(mktemp -d)
	if ! curl -fsSL --retry 3 -o "$tmp/$name.tar.gz" "$url/$name.tar.gz" ||
		! curl -fsSL --retry 3 -o "$tmp/SHA256SUMS" "$url/SHA256SUMS"; then
		echo "sparkc: no release archive at $url/$name.tar.gz: building from source" >&2
		rm -rf "$tmp"
		return 1
	fi
	# the archive must be the one the release lists
	(cd "$tmp" && grep " $name.tar.gz\$" SHA256SUMS | sha256sum -c --status) || {
		echo "::error title=sparkc::$name.tar.gz does not match the release's SHA256SUMS" >&2
		exit 2
	}
	tar -xzf "$tmp/$name.tar.gz" -C "$tmp"
	install -m 755 "$tmp/$name/sparkc" "$dest/sparkc"
	rm -rf "$tmp"
	echo "sparkc: installed sparkc $version for linux-$arch from $url" >&2
}

from_source() {
	echo "sparkc: building sparkc from $action" >&2
	make -C "$action" --no-print-directory deps >&2
	build="${RUNNER_TEMP:-/tmp}/sparkc-build"
	make -C "$action" --no-print-directory -s BUILD="$build" "$build/sparkc" >&2
	install -m 755 "$build/sparkc" "$dest/sparkc"
	"$dest/sparkc" --version >&2
}

if ! from_release; then
	# the source at hand is the action's own version: another one asked for must come
	# from its release
	if [ "$version" != "$own_version" ] && [ "$version" != source ]; then
		echo "::error title=sparkc::no sparkc $version release archive for this runner" \
			"(this action's source is sparkc $own_version)" >&2
		exit 2
	fi
	from_source
fi
echo "$dest" >> "${GITHUB_PATH:?the runner sets GITHUB_PATH}"
