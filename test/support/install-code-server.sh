#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 on Node 20) into .tools/code-server, once.
# Kept out of the extension's own dependencies so that the .vsix stays small.
# code-server's @vscode/ripgrep postinstall downloads ripgrep unless it finds a cached tarball, and these machines
# reach only the package registries, so we seed that cache from Debian's ripgrep.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$here/.tools/code-server"
version="4.100.3"
if [ -x "$dest/node_modules/.bin/code-server" ] && grep -q "\"version\": \"$version\"" "$dest/node_modules/code-server/package.json" 2>/dev/null; then
  echo "code-server $version already installed in $dest"
  exit 0
fi
command -v rg >/dev/null || { echo "install-code-server: ripgrep (rg) is missing: apt-get install -y ripgrep" >&2; exit 1; }
tmp="${TMPDIR:-/tmp}"
cache="$tmp/vscode-ripgrep-cache-1.15.11"
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
