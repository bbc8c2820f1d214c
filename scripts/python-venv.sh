# Sourced (not run) by the scripts that install a Python component into a virtual environment of
# the project's own (scripts/install-mlflow.sh, scripts/install-streamlit.sh), from the project
# root. `ensure_venv LABEL VENV PYTHON PIN...` makes VENV hold each pin (`name==version`): reused
# as it is when it already does, else created with PYTHON when it has no working interpreter and
# the pins installed with pip; fails unless every pin is then installed.

# True when VENV's python has every `name==version` given installed at that version.
venv_has_pins() {
  local venv="$1"
  shift
  "$venv/bin/python" - "$@" 2>/dev/null <<'PY'
import importlib.metadata as m, sys
def installed(pin):
    name, _, version = pin.partition("==")
    try:
        return m.version(name) == version
    except m.PackageNotFoundError:
        return False
sys.exit(0 if all(installed(p) for p in sys.argv[1:]) else 1)
PY
}

# The `name==version` lines of a requirements file, comments and blank lines left out.
pins_of() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$1"
}

ensure_venv() {
  local label="$1" venv="$2" python="$3"
  shift 3
  if venv_has_pins "$venv" "$@"; then
    echo "$label: $venv reused"
    return 0
  fi
  if ! "$venv/bin/python" -c '' 2>/dev/null; then
    "$python" -m venv --clear "$venv"
  fi
  # pip warns "Location 'file:///…/<package>/' is ignored: it is neither a file nor a directory" for
  # each package that a local extra index of the machine's pip configuration lacks (`pip config
  # list`): it then takes the package from the main index. Those lines go; all else pip says stays.
  {
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 1>&3 3>&- |
      sed "/^WARNING: Location 'file:[^']*' is ignored: it is neither a file nor a directory\.\$/d" >&2
  } 3>&1
  if ! venv_has_pins "$venv" "$@"; then
    echo "$label: pip finished but $venv does not hold $*" >&2
    return 1
  fi
  echo "$label installed in $venv"
}
