# Shared by scripts/run and scripts/test: make sure this Debian machine has
# what the portal needs, installing it when we may, or saying in one line what
# to install when we may not.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_go=$(sed -n 's/^go //p' go.mod) # the version go.mod names
if ! command -v go >/dev/null 2>&1; then
  echo "missiongrants needs Go $need_go or newer (https://go.dev/doc/install); 'go' is not on PATH." >&2
  exit 1
fi
have_go=$(GOTOOLCHAIN=local go env GOVERSION | sed 's/^go//')
if [ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | head -1)" != "$need_go" ]; then
  echo "missiongrants needs Go $need_go or newer; this machine has $have_go (Debian's golang package is older: install Go from https://go.dev/doc/install)." >&2
  exit 1
fi

# need_debian PACKAGE...: install the Debian packages that are missing.
need_debian() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "missiongrants needs these Debian packages; install them as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "Installing Debian packages: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# go_tool NAME MODULE/PATH VERSION: the path of a Go tool built once from the
# module proxy into the user's cache, kept by version (like the test servers).
go_tool() {
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/missiongrants/bin/$1-$3"
  if [ ! -x "$dir/$1" ]; then
    echo "Building $1 $3 (once)" >&2
    GOBIN="$dir" GOFLAGS=-mod=mod go install "$2@$3" >&2 || { echo "could not build $1 $3" >&2; exit 1; }
  fi
  echo "$dir/$1"
}

# npm_package NAME VERSION: the folder of the npm package NAME at exactly
# VERSION, installed once with Debian's npm into the user's cache (the same
# folders internal/testenv.NpmPackage installs into and reuses).
npm_package() {
  local prefix="${XDG_CACHE_HOME:-$HOME/.cache}/missiongrants/npm/$1-$2"
  if [ ! -e "$prefix/.installed" ]; then
    command -v npm >/dev/null 2>&1 || need_debian npm
    echo "Installing $1 $2 from npm (once)" >&2
    rm -rf "$prefix" && mkdir -p "$prefix"
    (cd "$prefix" && PUPPETEER_SKIP_DOWNLOAD=1 CHROME_LAUNCHER_SKIP_DOWNLOAD=1 \
      npm install --prefix "$prefix" --no-audit --no-fund --omit=dev --loglevel=error "$1@$2" >&2) ||
      { echo "could not install $1 $2 with npm" >&2; exit 1; }
    echo "$1@$2" >"$prefix/.installed"
  fi
  echo "$prefix/node_modules/$1"
}
