# Sourced (not run) by scripts/setup.sh and scripts/demo.sh, from the project root, after
# scripts/node-runtime.sh: `npm ci` and `npm run build` are skipped when their inputs have not
# changed since they last succeeded. Each step records a fingerprint of its inputs only after it
# succeeded, inside what it produces (node_modules/, dist/), which `npm ci` and `nest build` delete
# first: an interrupted or failed step leaves no fingerprint, and a clean clone (CI) always runs it.
# After a call, PACKAGES_REUSED / BUILD_REUSED are 1 when the step was skipped.

PACKAGES_STAMP=node_modules/.installed-fingerprint
BUILD_STAMP=dist/.build-fingerprint

# The lock file, the tree npm installed (npm's own record of it, node_modules/.package-lock.json,
# which `npm install` rewrites), and the Node.js release and machine the native addons were built for.
packages_fingerprint() {
  { sha256sum package-lock.json node_modules/.package-lock.json 2>/dev/null; node -v; uname -m; } | sha256sum | cut -d' ' -f1
}

# Every file the build compiles (tsconfig.build.json: src, scripts but bench, migrations), its
# configuration, and the compiler's version (the lock file).
sources_fingerprint() {
  {
    find src scripts migrations dashboards/web -type f ! -path 'scripts/bench/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum package-lock.json tsconfig.json tsconfig.build.json nest-cli.json
    node -v
  } | sha256sum | cut -d' ' -f1
}

# True when the stamp file holds this fingerprint.
recorded() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

install_packages() {
  PACKAGES_REUSED=0
  if recorded "$PACKAGES_STAMP" "$(packages_fingerprint)"; then
    PACKAGES_REUSED=1
    echo "packages: up to date (package-lock.json, node_modules and node $(node -v) as at the last npm ci); npm ci skipped"
    return 0
  fi
  npm ci --no-audit --no-fund
  # After the install: the fingerprint covers the tree npm has just written.
  packages_fingerprint > "$PACKAGES_STAMP"
}

build_app() {
  BUILD_REUSED=0
  local before
  before="$(sources_fingerprint)"
  if [ -f dist/src/main.js ] && recorded "$BUILD_STAMP" "$before"; then
    BUILD_REUSED=1
    echo "build: up to date (no source changed since the last build); npm run build skipped"
    return 0
  fi
  npm run build
  # Taken before the build: a file edited while it ran is built again next time.
  echo "$before" > "$BUILD_STAMP"
}
