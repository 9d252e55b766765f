#!/bin/sh
# install-deps.sh build|test|dist|test-dist|bench|fuzz : install the packages a make
# target needs, only those missing; a no-op once they are there. Needs root (or sudo)
# the first time, except with Homebrew.
#
# build knows four package managers: apt (Debian, Ubuntu), apk (Alpine), dnf (Fedora,
# RHEL) and brew (macOS). On a machine with none of them it says what to install.
# The other targets are Debian's: their tools (valgrind, qemu-user-static, umoci, ...)
# are named as Debian packages.
set -e
target="$1"
test_pkgs="gcc clang make pkg-config libyaml-dev libjansson-dev python3 python3-yaml python3-jsonschema python3-markdown yamllint valgrind pre-commit git man-db bash-completion libxml2-utils perl patch util-linux e2fsprogs neovim emacs-nox elpa-eglot elpa-yaml-mode"
# make dist: the arm64 build is cross-compiled with Debian's cross toolchain against
# libyaml-dev:arm64 and libjansson-dev:arm64 (dpkg multiarch); the image is built by
# umoci, without a daemon.
dist_pkgs="gcc make pkg-config libyaml-dev libjansson-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross libyaml-dev:arm64 libjansson-dev:arm64 dpkg-dev umoci"
case "$target" in
build) pkgs="gcc make pkg-config libyaml-dev libjansson-dev" ;;
test) pkgs="$test_pkgs" ;;
dist) pkgs="$dist_pkgs" ;;
# make test-dist: what make test's cases need, and to run the arm64 binary under qemu,
# the image in bubblewrap, libyaml and jansson for musl from Debian's source packages
# (built with their own CMake builds), the .deb through lintian, the Action's download with curl.
test-dist) pkgs="$test_pkgs $dist_pkgs qemu-user-static musl-tools cmake bubblewrap lintian curl" ;;
bench) pkgs="gcc make pkg-config libyaml-dev libjansson-dev libfyaml-utils python3 python3-yaml python3-jsonschema" ;;
fuzz) pkgs="clang libclang-rt-dev pkg-config libyaml-dev libjansson-dev" ;;
*) echo "usage: $0 build|test|dist|test-dist|bench|fuzz" >&2; exit 2 ;;
esac

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# What the build needs, whatever the system calls it.
needs="a C11 compiler (cc), make, pkg-config, and libyaml and jansson with their headers"

build_ready() {
	command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 &&
		command -v pkg-config >/dev/null 2>&1 && pkg-config --exists yaml-0.1 jansson
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	if [ "$target" != build ]; then
		echo "sparkc: make $target installs Debian packages ($pkgs); install them by hand," \
			"or run it on Debian or Ubuntu" >&2
		exit 1
	fi
	build_ready && exit 0
	if command -v apk >/dev/null 2>&1; then
		echo "installing with apk: build-base pkgconf yaml-dev jansson-dev" >&2
		$sudo apk add --no-cache build-base pkgconf yaml-dev jansson-dev >/dev/null
	elif command -v dnf >/dev/null 2>&1; then
		echo "installing with dnf: gcc make pkgconf-pkg-config libyaml-devel jansson-devel" >&2
		$sudo dnf install -y -q gcc make pkgconf-pkg-config libyaml-devel jansson-devel >/dev/null
	elif command -v brew >/dev/null 2>&1; then
		# Homebrew refuses to run as root; cc and make come with the Xcode tools it needs.
		echo "installing with brew: libyaml jansson pkg-config" >&2
		brew install --quiet libyaml jansson pkg-config >/dev/null
	else
		echo "sparkc: no package manager found (apt, apk, dnf or brew). The build needs" \
			"$needs (Debian: libyaml-dev libjansson-dev; Alpine: yaml-dev jansson-dev;" \
			"Fedora: libyaml-devel jansson-devel; Homebrew: libyaml jansson). Install them," \
			"then run make." >&2
		exit 1
	fi
	exit 0
fi

# kubectl (for its offline kustomize) may come from elsewhere than Debian's package.
case "$target" in test*) command -v kubectl >/dev/null 2>&1 || pkgs="$pkgs kubernetes-client" ;; esac
# node and npm (for tests/editor.py's npm packages) may come from elsewhere than Debian's.
[ "$target" = test ] && ! command -v npm >/dev/null 2>&1 && pkgs="$pkgs nodejs npm"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	case "$missing" in
	*:arm64*) dpkg --print-foreign-architectures | grep -qx arm64 || $sudo dpkg --add-architecture arm64 ;;
	esac
	$sudo apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
[ "$target" = test ] && exec "$(dirname "$0")/install-npm-test-deps.sh"
[ "$target" = test-dist ] && exec "$(dirname "$0")/fetch-musl-sources.sh"
exit 0
