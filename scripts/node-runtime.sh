# Sourced (not run) by the scripts that start node: puts the Node.js release in .nvmrc (the major
# the Docker image runs) first on PATH. Where the machine's node is an older major (this kind of
# machine ships Node 20, past its end of life since 2026-04-30), that release is fetched once from
# the npm registry, where node-linux-<arch> packs the official binary, into .runtime/.
# npm itself runs on whichever node is first on PATH, so `npm ci` and `npm test` use it too.

node_runtime() {
  local root version want have arch dir tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  version="$(tr -d ' v\n' < "$root/.nvmrc")"
  want="${version%%.*}"
  have="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  [ "$have" -ge "$want" ] && return 0

  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "node-runtime: no node-linux package for $(uname -m); install Node.js $want" >&2; return 1 ;;
  esac
  dir="$root/.runtime/node-$version-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    echo "node-runtime: node $(node -v 2>/dev/null || echo none) is older than $want; fetching node $version (npm: node-linux-$arch)"
    tmp="$(mktemp -d)"
    # npm pack checks the tarball against the registry's integrity hash.
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null) || { rm -rf "$tmp"; return 1; }
    mkdir -p "$dir.partial"
    tar -xzf "$tmp"/node-linux-*.tgz -C "$dir.partial" --strip-components=1
    rm -rf "$tmp" "$dir"
    mv "$dir.partial" "$dir"  # only a complete unpack is ever used
  fi
  export PATH="$dir/bin:$PATH"
  echo "node-runtime: using $(node -v) from ${dir#"$root"/}"
}

node_runtime
