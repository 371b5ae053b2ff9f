# Sourced by dist_train.sh and dist_test.sh (not run on its own).
# dist_launch NPROC SCRIPT ARGS...: run SCRIPT in NPROC processes per node with
# torchrun; NNODES, NODE_RANK, MASTER_ADDR, PORT and PYTHON come from the
# environment (default: one node, 127.0.0.1:29500, the clone's .venv python
# when there is one).
dist_launch() {
  local nproc=$1
  shift
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  local python=${PYTHON:-}
  if [ -z "$python" ]; then
    if [ -x "$dir/../.venv/bin/python" ]; then python="$dir/../.venv/bin/python"; else python=python; fi
  fi
  exec "$python" -m torch.distributed.run \
    --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}" \
    --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --nproc_per_node="$nproc" --master_port="${PORT:-29500}" "$@"
}
