#!/usr/bin/env bash
# One-command set-up of the pinned OpenMMLab stack for alpha-gan-plugin.
#
#   bash tools/install.sh            # create .venv/, install the stack, the plugin, the data
#
# Idempotent: a second run checks what is there and changes nothing.
# Environment overrides:
#   PYTHON=python3.11      interpreter used to create .venv/
#   VENV=.venv             where the environment lives
#   MMCV_WHEEL_DIR=DIR     a folder holding a prebuilt mmcv 2.1.0 wheel for this
#                          torch/python (default: ../shared/wheels when present)
#   MAX_JOBS=2             parallel compile jobs for the mmcv source build
#   SKIP_APT=1             do not try to install the Debian Fashion-MNIST package
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"
MMCV_VERSION=2.1.0
TORCH_VERSION=2.1.2

log() { printf '[install] %s\n' "$*"; }

"$PYTHON" - <<'PY'
import sys
if sys.version_info[:2] != (3, 11):
    raise SystemExit(f"alpha-gan-plugin's pinned stack needs Python 3.11 (torch 2.1.2 + mmcv 2.1.0); "
                     f"this is {sys.version.split()[0]}. Set PYTHON=/path/to/python3.11.")
PY

if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check -q)

# A stamp of everything that decides the environment: when it matches and the
# stack imports, there is nothing to do (a second run changes nothing).
STAMP="$VENV/.alpha-gan-install-stamp"
want_stamp=$(cat requirements/*.txt setup.py tools/install.sh | sha256sum | cut -d' ' -f1)
stack_ok() {
  "$PY" -c "import mmcv.ops, mmengine, mmagic.models, alpha_gan_plugin" >/dev/null 2>&1
}
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] && stack_ok; then
  log "environment up to date ($VENV); nothing to install"
  SKIP_PIP=1
else
  SKIP_PIP=0
fi

if [ "$SKIP_PIP" = 0 ]; then
# Step 1: torch, torchvision, numpy<2 and the build tools mmcv's setup.py needs.
"${PIP[@]}" install -r requirements/build.txt -c requirements/constraints.txt

# Step 2: mmengine and mmagic's import-time needs, pinned (mmcv imports mmengine,
# so this comes before mmcv's check).
"${PIP[@]}" install -r requirements/runtime.txt -c requirements/constraints.txt
# Step 3: mmcv with its compiled ops (mmagic.models imports mmcv.ops).
have_mmcv() {
  "$PY" - <<PY 2>/dev/null
import importlib.metadata as md, sys
try:
    v = md.version('mmcv')
except md.PackageNotFoundError:
    sys.exit(1)
import mmcv.ops  # the compiled extension must load against this torch
sys.exit(0 if v == '$MMCV_VERSION' else 1)
PY
}
if have_mmcv; then
  log "mmcv $MMCV_VERSION with compiled ops already installed"
else
  wheel_dir="${MMCV_WHEEL_DIR:-$ROOT/../shared/wheels}"
  tag=$("$PY" -c "import sys; print(f'cp{sys.version_info[0]}{sys.version_info[1]}')")
  wheel="$wheel_dir/mmcv-$MMCV_VERSION-$tag-${tag}-linux_$(uname -m).whl"
  if [ -f "$wheel" ] && [ "$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')" = "$TORCH_VERSION" ]; then
    log "installing prebuilt $wheel (built against torch $TORCH_VERSION)"
    "${PIP[@]}" install --no-deps "$wheel"
  else
    log "building mmcv $MMCV_VERSION from source against torch $TORCH_VERSION (about 30 min on 2 cores, once; pip caches the wheel)"
    MAX_JOBS="${MAX_JOBS:-2}" "${PIP[@]}" install --no-deps --no-build-isolation "mmcv==$MMCV_VERSION"
  fi
  if ! have_mmcv; then
    echo "[install] mmcv $MMCV_VERSION is installed but 'import mmcv.ops' fails:" >&2
    "$PY" -c "import mmcv.ops" >&2 || true
    exit 1
  fi
fi

# mmagic itself without its full dependency list (which pulls mediapipe,
# face-alignment, ... that nothing here imports).
"${PIP[@]}" install --no-deps "mmagic==1.2.0"

# Step 4: the plugin itself, editable.
"${PIP[@]}" install --no-deps --no-build-isolation -e .

"$PY" -c "import mmcv, mmengine, mmagic, alpha_gan_plugin; print('[install] mmcv', mmcv.__version__, '| mmengine', mmengine.__version__, '| mmagic', mmagic.__version__, '| alpha_gan_plugin', alpha_gan_plugin.__version__)" 2>/dev/null
stack_ok || { echo "[install] the stack does not import; run: $PY -c 'import mmagic.models, alpha_gan_plugin'" >&2; exit 1; }
echo "$want_stamp" > "$STAMP"

fi

# Step 5: the embedded real data set (Debian's Fashion-MNIST package).
FMNIST=/usr/share/datasets/fashion-mnist
if [ -f "$FMNIST/train-images-idx3-ubyte.gz" ]; then
  log "Fashion-MNIST present in $FMNIST"
elif [ "${SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  log "installing Debian package dataset-fashion-mnist"
  apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
else
  log "Fashion-MNIST not installed: run 'sudo apt-get install dataset-fashion-mnist', or pass"
  log "  --cfg-options train_dataloader.dataset.download=True (torchvision-style download) on a machine with internet"
fi
log "done: activate with 'source $VENV/bin/activate'"
