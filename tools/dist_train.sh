#!/usr/bin/env bash
# Multi-process training on torchrun, as MMagic users launch it:
#   bash tools/dist_train.sh CONFIG NPROC [train.py args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR and PORT come from the environment.
# Without CUDA the processes talk over gloo (tools/_common.py switches the backend).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bash tools/dist_train.sh CONFIG NPROC [train.py args...]" >&2; exit 2
fi
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$DIR/_dist_launch.sh"
dist_launch "$2" "$DIR/train.py" "$1" --launcher pytorch "${@:3}"
