"""ParamSyncCheckHook: every rank holds the same parameters."""
import hashlib
import json
from collections import OrderedDict
from typing import Dict, List, Optional

import torch.nn as nn
from mmengine.dist import all_gather_object, is_main_process
from mmengine.hooks import Hook

from mmagic.registry import HOOKS
from ...utils.autoencoder import unwrap


def parameter_digests(module: nn.Module) -> Dict[str, str]:
    """A sha1 of every top-level network's parameters (not buffers)."""
    digests: Dict[str, 'hashlib._Hash'] = OrderedDict()
    for name, param in unwrap(module).named_parameters():
        h = digests.setdefault(name.split('.')[0], hashlib.sha1())
        h.update(name.encode())
        h.update(param.detach().cpu().contiguous().numpy().tobytes())
    return OrderedDict((k, v.hexdigest()) for k, v in digests.items())


def batch_sample_indices(data_batch) -> List[int]:
    """The dataset indices (``metainfo['sample_idx']``) of a batch's
    samples, where they are recorded."""
    samples = data_batch.get('data_samples') if isinstance(
        data_batch, dict) else None
    if samples is None:
        return []
    if not isinstance(samples, (list, tuple)):
        samples = [samples[i] for i in range(len(samples))]
    return [int(s.metainfo['sample_idx']) for s in samples
            if 'sample_idx' in s.metainfo]


@HOOKS.register_module()
class ParamSyncCheckHook(Hook):
    """Check that every rank holds the same parameters (a DDP sanity check).

    Every ``interval`` iterations each rank hashes its parameters per
    network; the hashes are gathered and a ``RuntimeError`` names the
    networks whose copies differ (e.g. a network updated outside its DDP
    wrapper). With ``out_file`` rank 0 appends one JSON line per check with
    all ranks' hashes and the dataset indices of their batches.

    Args:
        interval: Check every ``interval`` training iterations.
        out_file: Optional JSON-lines record (for tests and debugging).
    """

    priority = 'LOW'

    def __init__(self, interval: int = 100, out_file: Optional[str] = None):
        if not isinstance(interval, int) or interval < 1:
            raise ValueError(f'ParamSyncCheckHook.interval must be an int >= '
                             f'1, got {interval!r}')
        self.interval = interval
        self.out_file = out_file

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if not self.every_n_train_iters(runner, self.interval):
            return
        mine = dict(params=parameter_digests(runner.model),
                    samples=batch_sample_indices(data_batch))
        ranks = all_gather_object(mine)
        differ = [net for net in mine['params']
                  if len({r['params'][net] for r in ranks}) > 1]
        if self.out_file and is_main_process():
            with open(self.out_file, 'a') as f:
                f.write(json.dumps(dict(iter=runner.iter + 1,
                                        ranks=ranks)) + '\n')
        if differ:
            raise RuntimeError(
                f'parameters of {differ} differ between ranks after '
                f'iteration {runner.iter + 1}: the processes are out of sync '
                f'(a network updated outside its DistributedDataParallel '
                f'wrapper, or different initial weights)')
