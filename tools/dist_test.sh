#!/usr/bin/env bash
# Multi-process evaluation on torchrun:
#   bash tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR and PORT come from the environment.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: bash tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py args...]" >&2; exit 2
fi
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$DIR/_dist_launch.sh"
dist_launch "$3" "$DIR/test.py" "$1" "$2" --launcher pytorch "${@:4}"
