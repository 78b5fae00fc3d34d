#!/usr/bin/env bash
# Source it: makes `node` a maintained LTS (OPENMSK_NODE_MAJOR, default 24) for the rest of the calling script.
# The host's node is used when it is that major or newer; otherwise the binary that the npm registry's
# node-linux-<arch> package ships is installed once under .cache/node-<major>/ and put first on PATH (npm itself
# stays the host's; it runs on whichever node is first on PATH). Nothing is downloaded from anywhere else.
_msk_node_major=${OPENMSK_NODE_MAJOR:-24}
_msk_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_msk_have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$_msk_have" -lt "$_msk_node_major" ]; then
  case "$(uname -m)" in
    x86_64) _msk_arch=x64 ;;
    aarch64 | arm64) _msk_arch=arm64 ;;
    *) echo "[node] ERROR: no node-linux package for $(uname -m)" >&2; exit 1 ;;
  esac
  _msk_dir="$_msk_root/.cache/node-$_msk_node_major"
  _msk_bin="$_msk_dir/node_modules/node-linux-$_msk_arch/bin"
  if [ ! -x "$_msk_bin/node" ]; then
    echo "[node] node $(node -v 2>/dev/null || echo missing) is older than $_msk_node_major: installing node-linux-$_msk_arch@$_msk_node_major from the npm registry"
    mkdir -p "$_msk_dir"
    npm install --prefix "$_msk_dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-$_msk_arch@$_msk_node_major" >/dev/null
  fi
  export PATH="$_msk_bin:$PATH"
fi
echo "[node] node $(node -v)"
