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
