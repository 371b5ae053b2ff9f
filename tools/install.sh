#!/usr/bin/env bash
# One-command set-up of a tested OpenMMLab stack and alpha-gan-plugin.
#
#   bash tools/install.sh                                     # Python 3.11 stack in .venv/
#   PYTHON=python3.10 VENV=.venv-py310 bash tools/install.sh  # Python 3.10 stack
#   bash tools/install.sh --stack-only                        # MMagic's environment, no plugin
#
# The interpreter chooses the stack (README, "Why this stack"):
#   Python 3.11: torch 2.1.2, torchvision 0.16.2, mmcv 2.1.0   requirements/constraints-py311.txt
#   Python 3.10: torch 2.0.1, torchvision 0.15.2, mmcv 2.0.1   requirements/constraints-py310.txt
# both with mmengine 0.10.7 and mmagic 1.2.0.
#
# Steps: (1) torch and build tools, (2) MMagic's environment (mmagic with its
# own requirements), (3) mmcv with compiled ops: a prebuilt wheel from
# MMCV_WHEEL_DIR, else OpenMMLab's wheel index for this torch and CUDA/CPU,
# else a source build, (4) the plugin and its test extra (`pip install -e
# ".[tests]"`; torch and mmcv are checked unchanged), (5) the Fashion-MNIST
# data. Each step prints a line with the elapsed time; pip shows its own
# progress.
#
# Idempotent: a stamp per environment (in $VENV) makes a second run check the
# stack imports and change nothing.
#
# Environment overrides:
#   PYTHON=python3        interpreter that creates $VENV and decides the stack
#   VENV=.venv            where the environment lives (one per stack)
#   MMCV_WHEEL_DIR=DIR    folder with a prebuilt mmcv wheel for this stack
#                         (default: ../shared/wheels beside the clone, when present)
#   MMCV_INDEX_TIMEOUT=5  seconds to wait for OpenMMLab's wheel index
#   MMCV_INDEX=0          do not try OpenMMLab's wheel index
#   MAX_JOBS=2            parallel compile jobs of an mmcv source build
#   CONSTRAINTS=FILE      pin file (default requirements/constraints-<stack>.txt)
#   SKIP_APT=1            do not try to install the Debian Fashion-MNIST package
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STACK_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --stack-only) STACK_ONLY=1 ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "[install] unknown argument '$arg' (known: --stack-only, --help)" >&2; exit 2 ;;
  esac
done

T0=$SECONDS
log() { printf '[install %4ds] %s\n' "$((SECONDS - T0))" "$*"; }
die() { printf '[install %4ds] ERROR: %s\n' "$((SECONDS - T0))" "$*" >&2; exit 1; }

PYTHON="${PYTHON:-python3}"
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
  || die "PYTHON=$PYTHON does not run (not installed, or a pyenv shim of a version that is not active); set PYTHON=/path/to/python3.11 or /path/to/python3.10"
case "$PYVER" in
  3.11) STACK=py311 TORCH_VERSION=2.1.2 TORCHVISION_VERSION=0.16.2 MMCV_VERSION=2.1.0 MMCV_MINUTES=10-30 ;;
  3.10) STACK=py310 TORCH_VERSION=2.0.1 TORCHVISION_VERSION=0.15.2 MMCV_VERSION=2.0.1 MMCV_MINUTES=7 ;;
  *) die "no tested stack for Python $PYVER ($PYTHON). Tested: Python 3.11 (torch 2.1.2, mmcv 2.1.0) and Python 3.10 (torch 2.0.1, mmcv 2.0.1); set PYTHON=python3.11 or PYTHON=python3.10. An existing MMagic environment of another Python: README, \"Already have MMagic?\"." ;;
esac
CONSTRAINTS="${CONSTRAINTS:-requirements/constraints-$STACK.txt}"
[ -f "$CONSTRAINTS" ] || die "constraints file $CONSTRAINTS not found (CONSTRAINTS=...)"
VENV="${VENV:-$ROOT/.venv}"
log "Python $PYVER ($PYTHON) -> stack $STACK: torch $TORCH_VERSION, torchvision $TORCHVISION_VERSION, mmcv $MMCV_VERSION; pins $CONSTRAINTS; environment $VENV"

if [ -x "$VENV/bin/python" ]; then
  have=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  [ "$have" = "$PYVER" ] || die "$VENV was made by Python $have, not $PYVER: give each stack its own VENV (e.g. VENV=.venv-$STACK) or remove $VENV"
else
  log "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

# Stamps of everything that decides the environment: when they match and the
# stack imports, there is nothing to do.
STACK_STAMP="$VENV/.alpha-gan-stack-stamp"
PLUGIN_STAMP="$VENV/.alpha-gan-plugin-stamp"
stack_hash=$(cat requirements/build.txt requirements/mmagic.txt "$CONSTRAINTS" tools/install.sh | sha256sum | cut -d' ' -f1)
plugin_hash=$(printf '%s %s\n' "$stack_hash" "$ROOT" | cat - setup.py | sha256sum | cut -d' ' -f1)
stack_imports() {
  "$PY" -c "import mmcv.ops, mmengine, mmagic.models, mmagic.evaluation, mmagic.apis" >/dev/null 2>&1
}
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# ---------------------------------------------------------------- the stack
if stamp_ok "$STACK_STAMP" "$stack_hash" && stack_imports; then
  log "stack up to date in $VENV; nothing to install"
else
  rm -f "$STACK_STAMP" "$PLUGIN_STAMP"
  log "step 1/5: torch $TORCH_VERSION, torchvision $TORCHVISION_VERSION and mmcv's build tools (requirements/build.txt; torch is a large download)"
  "${PIP[@]}" install -r requirements/build.txt "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION" -c "$CONSTRAINTS"

  # mmcv is not mentioned here: pip would build it in an isolated environment
  # without torch (silently without its compiled ops).
  log "step 2/5: MMagic 1.2.0's environment (requirements/mmagic.txt: mmengine, mmagic and its own requirements)"
  "${PIP[@]}" install -r requirements/mmagic.txt -c "$CONSTRAINTS"

  log "step 3/5: mmcv $MMCV_VERSION with compiled ops"
  mmcv_ok() {
    "$PY" - "$MMCV_VERSION" <<'PY' 2>/dev/null
import importlib.metadata as md, sys
try:
    v = md.version('mmcv')
except md.PackageNotFoundError:
    sys.exit(1)
import mmcv.ops  # the compiled extension must load against this torch
sys.exit(0 if v == sys.argv[1] else 1)
PY
  }
  torch_now=$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')
  [ "$torch_now" = "$TORCH_VERSION" ] || die "torch $torch_now is installed in $VENV, the stack needs $TORCH_VERSION"
  if mmcv_ok; then
    log "mmcv $MMCV_VERSION with compiled ops already installed"
  else
    tag=$("$PY" -c "import sys; print(f'cp{sys.version_info[0]}{sys.version_info[1]}')")
    wheel_dir="${MMCV_WHEEL_DIR:-$ROOT/../shared/wheels}"
    wheel_dir=$(cd "$wheel_dir" 2>/dev/null && pwd || echo "$wheel_dir")
    wheel="$wheel_dir/mmcv-$MMCV_VERSION-$tag-$tag-linux_$(uname -m).whl"
    # OpenMMLab's index for this torch (major.minor) and CUDA or CPU build
    variant=$("$PY" -c 'import torch; c = torch.version.cuda; print("cu" + c.replace(".", "") if c else "cpu")')
    torch_mm=${TORCH_VERSION%.*}
    index="https://download.openmmlab.com/mmcv/dist/$variant/torch$torch_mm/index.html"
    if [ -f "$wheel" ]; then
      log "installing the prebuilt $wheel (built against torch $TORCH_VERSION)"
      "${PIP[@]}" install --no-deps "$wheel"
    elif [ "${MMCV_INDEX:-1}" != 0 ] && "$PY" - "$index" "${MMCV_INDEX_TIMEOUT:-5}" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2])).close()
except Exception as e:
    print(f'[install] OpenMMLab wheel index not reachable ({type(e).__name__}: {e}); building mmcv from source instead')
    sys.exit(1)
PY
    then
      log "installing mmcv $MMCV_VERSION from OpenMMLab's prebuilt wheels ($index)"
      "${PIP[@]}" install --no-deps --no-index --only-binary mmcv -f "$index" "mmcv==$MMCV_VERSION" \
        || log "no usable wheel there; building mmcv from source instead"
    fi
    if ! mmcv_ok; then
      # A source build needs a C++ compiler (torch's extension builder runs
      # $CXX, default c++) and this Python's headers.
      cxx="${CXX:-c++}"
      command -v "$cxx" >/dev/null 2>&1 || die "building mmcv needs a C++ compiler and '$cxx' is not on PATH. Install one, e.g. 'sudo apt-get install g++' (Debian/Ubuntu) or 'sudo dnf install gcc-c++' (Fedora), or set CXX=/path/to/a/c++/compiler, then run this script again."
      inc=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
      [ -f "$inc/Python.h" ] || die "building mmcv needs Python $PYVER's headers and $inc/Python.h is missing. Install them, e.g. 'sudo apt-get install python$PYVER-dev' (Debian/Ubuntu) or 'sudo dnf install python$PYVER-devel' (Fedora), then run this script again."
      log "building mmcv $MMCV_VERSION from source against torch $TORCH_VERSION with MAX_JOBS=${MAX_JOBS:-2} (about $MMCV_MINUTES min on 2 cores; once: pip caches the wheel)"
      ( while sleep 60; do log "... still building mmcv"; done ) &
      beat=$!
      rc=0
      MAX_JOBS="${MAX_JOBS:-2}" "${PIP[@]}" install --no-deps --no-build-isolation "mmcv==$MMCV_VERSION" -c "$CONSTRAINTS" || rc=$?
      kill "$beat" 2>/dev/null || true
      wait "$beat" 2>/dev/null || true
      [ "$rc" = 0 ] || die "the mmcv $MMCV_VERSION build failed (pip exit $rc); its output is above"
    fi
    if ! mmcv_ok; then
      echo "[install] mmcv $MMCV_VERSION is installed but 'import mmcv.ops' fails:" >&2
      "$PY" -c "import mmcv.ops" >&2 || true
      exit 1
    fi
  fi
  # mmcv's own requirements (addict, yapf, ...), now that mmcv is there
  "${PIP[@]}" install "mmcv==$MMCV_VERSION" -c "$CONSTRAINTS"

  "$PY" -c "import mmcv.ops, mmengine, mmagic.models, mmagic.evaluation, mmagic.apis" \
    || die "the stack does not import (traceback above); run: $PY -c 'import mmcv.ops, mmagic.models, mmagic.evaluation, mmagic.apis'"
  echo "$stack_hash" > "$STACK_STAMP"
  log "stack ready: $("$PY" -c 'import torch, mmcv, mmengine, mmagic; print("torch", torch.__version__, "| mmcv", mmcv.__version__, "| mmengine", mmengine.__version__, "| mmagic", mmagic.__version__)' 2>/dev/null)"
fi

# --------------------------------------------------------------- the plugin
if [ "$STACK_ONLY" = 1 ]; then
  log "step 4/5: skipped (--stack-only); the plugin installs with the README's \"Already have MMagic?\" command"
elif stamp_ok "$PLUGIN_STAMP" "$plugin_hash" && "$PY" -c 'import alpha_gan_plugin' >/dev/null 2>&1; then
  log "alpha-gan-plugin up to date in $VENV; nothing to install"
else
  log "step 4/5: alpha-gan-plugin, editable, with its test extra (pip install -e \".[tests]\")"
  versions() { "$PY" -c 'import importlib.metadata as md; print(" ".join(f"{p}=={md.version(p)}" for p in ("torch", "torchvision", "mmcv", "mmengine", "mmagic")))'; }
  before=$(versions)
  "${PIP[@]}" install --no-build-isolation -e ".[tests]" -c "$CONSTRAINTS"
  after=$(versions)
  [ "$before" = "$after" ] || die "installing the plugin changed the stack: before '$before', after '$after'"
  "$PY" -c 'import alpha_gan_plugin' || die "alpha_gan_plugin does not import (traceback above)"
  echo "$plugin_hash" > "$PLUGIN_STAMP"
  log "alpha-gan-plugin installed; stack unchanged ($after)"
fi

# ------------------------------------------------------------------- data
FMNIST=/usr/share/datasets/fashion-mnist
if [ -f "$FMNIST/train-images-idx3-ubyte.gz" ]; then
  log "step 5/5: Fashion-MNIST present in $FMNIST"
elif [ "${SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  log "step 5/5: installing Debian package dataset-fashion-mnist"
  apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
else
  log "step 5/5: Fashion-MNIST not installed: run 'sudo apt-get install dataset-fashion-mnist', or pass"
  log "  --cfg-options train_dataloader.dataset.download=True (torchvision-style download) on a machine with internet"
fi
log "done: activate with 'source $VENV/bin/activate'"
