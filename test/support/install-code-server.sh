#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 on Node 20) into .tools/code-server, once. Kept out of the
# extension's own dependencies so that the .vsix stays small.
#   --with-chromium  also makes sure Chromium (/usr/bin/chromium) is installed: the e2e tests drive the workbench
#                    with it (`npm test` passes this); `npm start` does not need it and does not ask for it.
# Everything it writes is under .tools/ (npm's cache and logs, the ripgrep tarball below); the Debian packages
# code-server's install needs (ripgrep, krb5 headers + pkg-config for its native modules) are asked for only while
# code-server is not installed yet. As root it installs what is missing; otherwise it says which command would.
# code-server's @vscode/ripgrep postinstall downloads ripgrep unless it finds a cached tarball, and these machines
# reach only the package registries, so we seed that cache from Debian's ripgrep.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
tools="$here/.tools"
dest="$tools/code-server"
version="4.100.3"
with_chromium=false
for argument in "$@"; do
  case "$argument" in
    --with-chromium) with_chromium=true ;;
    *) echo "install-code-server: unknown option $argument" >&2; exit 2 ;;
  esac
done
installed=false
if [ -x "$dest/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$version\"" "$dest/node_modules/code-server/package.json" 2>/dev/null; then
  installed=true
fi
wanted=()
[ "$with_chromium" = true ] && wanted+=(chromium)
[ "$installed" = true ] || wanted+=(ripgrep libkrb5-dev pkg-config)
needed=()
for package in ${wanted[@]+"${wanted[@]}"}; do dpkg -s "$package" >/dev/null 2>&1 || needed+=("$package"); done
if [ "${#needed[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}"
  else
    echo "install-code-server: missing Debian packages; run: sudo apt-get install -y ${needed[*]}" >&2
    exit 1
  fi
fi
if [ "$installed" = true ]; then
  echo "code-server $version already installed in $dest"
  exit 0
fi
# npm's cache and logs, node-gyp's and ripgrep's downloads: in .tools/, not in the home folder or /tmp.
export TMPDIR="$tools/tmp" npm_config_cache="$tools/npm-cache" XDG_CACHE_HOME="$tools/xdg-cache"
mkdir -p "$TMPDIR" "$npm_config_cache" "$XDG_CACHE_HOME"
cache="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$tarball" ]; then
  stage="$(mktemp -d)"; cp "$(command -v rg)" "$stage/rg"; tar -C "$stage" -czf "$tarball" rg; rm -rf "$stage"
fi
mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{"name":"swarmscope-code-server","private":true}' > package.json
export npm_config_unsafe_perm=true npm_config_yes=true
npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$version"
echo "code-server $version installed in $dest"
