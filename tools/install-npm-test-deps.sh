#!/bin/sh
# install-npm-test-deps.sh: the npm packages tests/editor.py drives, at pinned versions,
# into a cache directory kept between runs ($XDG_CACHE_HOME/sparkc-test/npm, else
# ~/.cache/sparkc-test/npm): yaml-language-server (the YAML language server editors
# run) and ajv-cli (a JavaScript JSON Schema validator). A no-op once installed.
set -e
packages="yaml-language-server@1.25.0 ajv-cli@5.0.0"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/sparkc-test/npm"
[ "$(cat "$dir/installed" 2>/dev/null)" = "$packages" ] && exit 0
mkdir -p "$dir"
echo "installing from npm into $dir: $packages" >&2
# shellcheck disable=SC2086
npm install --prefix "$dir" --no-audit --no-fund --no-save --silent $packages
echo "$packages" > "$dir/installed"
