#!/bin/sh
# install-deps.sh build|test|bench|fuzz : install the Debian packages a make target needs,
# only those missing. Needs root (or sudo) the first time; a no-op afterwards.
set -e
case "$1" in
build) pkgs="gcc make pkg-config libyaml-dev" ;;
test) pkgs="gcc clang make pkg-config libyaml-dev python3 python3-yaml python3-jsonschema python3-markdown yamllint valgrind pre-commit git man-db bash-completion libxml2-utils perl patch util-linux e2fsprogs" ;;
bench) pkgs="gcc make pkg-config libyaml-dev libfyaml-utils python3 python3-yaml python3-jsonschema" ;;
fuzz) pkgs="clang libclang-rt-dev pkg-config libyaml-dev" ;;
*) echo "usage: $0 build|test|bench|fuzz" >&2; exit 2 ;;
esac
# kubectl (for its offline kustomize) may come from elsewhere than Debian's package.
[ "$1" = test ] && ! command -v kubectl >/dev/null 2>&1 && pkgs="$pkgs kubernetes-client"
# node and npm (for tests/editor.py's npm packages) may come from elsewhere than Debian's.
[ "$1" = test ] && ! command -v npm >/dev/null 2>&1 && pkgs="$pkgs nodejs npm"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
[ "$1" = test ] && exec "$(dirname "$0")/install-npm-test-deps.sh"
exit 0
