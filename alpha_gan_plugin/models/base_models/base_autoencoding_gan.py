"""The base of the plugin's auto-encoding GANs: networks trained in phases."""
import inspect
from typing import Dict, List, Optional, Union

import torch.nn as nn
from mmengine import MessageHub
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from mmagic.models.base_models import BaseGAN
from mmagic.registry import MODELS
from ...utils.autoencoder import unwrap
from ...utils.preprocessing import real_images
from ...utils.validators import reject_unknown_keys
from .schedule import FiniteLossCheck, resolve_schedule
from .updates import PhaseNets, run_phase, shared_iteration, update_ema
from .shape_probe import probe_network_shapes

ModelType = Union[Dict, nn.Module]


class BaseAutoEncodingGAN(BaseGAN):
    """A GAN with an encoder whose networks are updated in turn, each with
    its own optimizer, by a table of phases.

    A subclass states its math and nothing else, through class attributes:

    * ``PHASES``: network -> name of the method computing that network's
      losses on a real batch, in update order. The keys are the networks,
      the ``optim_wrapper`` keys and the ``train_schedule`` keys.
    * ``DEFAULT_SCHEDULE``: updates per iteration of each network.
    * ``DEFAULT_LOSS``: the registered loss module built from
      ``loss_config`` when it names no ``type``; it must have a method
      ``<network>_loss`` for every network.
    * ``STEP_KEYS``: which networks MMagic's ``generator_steps`` /
      ``discriminator_steps`` set (see below).
    * ``SHARED_LOSSES``: the method giving every network's losses from one
      forward pass (``update_mode='shared'``), or None.
    * ``DISPLAY_NAME``: the model's name in messages.

    Phase methods take ``(real, nets)``: ``nets`` (:class:`PhaseNets`) gives
    the updated networks wrapped and the others bare and frozen. Two update
    modes (``update_mode``):

    * ``'alternating'`` (default): each update runs its own forward pass
      with the other networks frozen, in ``PHASES`` order, each seeing the
      networks updated before it in the iteration.
    * ``'shared'``: one forward pass per iteration computes every network's
      loss (``SHARED_LOSSES``); each network's gradient is taken from its
      own loss only (``backward(inputs=its parameters)``), then all networks
      are updated from gradients taken at the same weights (a simultaneous
      step). Extra updates of ``train_schedule`` (counts > 1) then run as
      alternating phases that recompute their forward, in ``PHASES`` order.

    In either mode a network's gradients never reach another network's
    parameters, DDP never waits for a frozen network, all updates of an
    iteration see the same real batch, and the losses are checked for
    NaN/inf once per iteration with one host read (one all-reduce across
    processes; :class:`~.schedule.FiniteLossCheck`): in shared mode with
    one update per network before any update, otherwise at the end of the
    iteration, before the EMA update, logs and checkpoints
    (docs/update_modes.md).

    ``generator_steps`` / ``discriminator_steps`` (the keys of MMagic's
    ``BaseGAN``, e.g. inherited from a WGAN-GP config) set the updates per
    iteration of the networks in ``STEP_KEYS``. MMagic's ``BaseGAN`` updates
    the discriminator once per iteration and the generator every
    ``discriminator_steps`` iterations; here every iteration updates every
    network, so the ratio of updates is the same and one iteration holds
    ``discriminator_steps`` of MMagic's. Setting a network both there and in
    ``train_schedule`` to different counts is an error.

    Args:
        generator: Config or module of the generator (any MMagic generator
            taking ``noise``).
        discriminator: Config or module of the image discriminator, or None.
        networks: The subclass's other networks (e.g. ``encoder``), configs
            are built with ``latent_size=noise_size`` as default argument.
        data_preprocessor: MMagic ``DataPreprocessor`` config.
        noise_size: Latent size; taken from the generator when None.
        ema_config: MMagic EMA config for the generator (None = no EMA).
        loss_config: Config of the loss module: ``type`` (default
            ``DEFAULT_LOSS``) and its settings. ``model.loss_config`` then
            holds every setting in effect.
        train_schedule: Updates per iteration for each network; missing
            networks take ``DEFAULT_SCHEDULE``.
        generator_steps: See above (None = not set).
        discriminator_steps: See above (None = not set).
        shape_check: Push a tiny batch through all networks at build time
            to check that latent size, image size and channels agree.
        update_mode: ``'alternating'`` or ``'shared'`` (see above).
    """

    UPDATE_MODES = ('alternating', 'shared')
    PHASES: Dict[str, str] = {}
    DEFAULT_SCHEDULE: Dict[str, int] = {}
    DEFAULT_LOSS = ''
    STEP_KEYS = dict(generator_steps='generator',
                     discriminator_steps='discriminator')
    SHARED_LOSSES: Optional[str] = None
    NO_SHARED_REASON = 'it has no shared-forward step.'
    DISPLAY_NAME = 'model'

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.PHASES:
            return
        for net, method in cls.PHASES.items():
            assert callable(getattr(cls, method, None)), (cls, net, method)
        assert list(cls.DEFAULT_SCHEDULE) == list(cls.PHASES), cls
        assert set(cls.STEP_KEYS.values()) <= set(cls.PHASES), cls

    def __init__(self,
                 generator: ModelType,
                 discriminator: Optional[ModelType] = None,
                 networks: Optional[Dict[str, ModelType]] = None,
                 data_preprocessor: Optional[dict] = None,
                 noise_size: Optional[int] = None,
                 ema_config: Optional[dict] = None,
                 loss_config: Optional[dict] = None,
                 train_schedule: Optional[dict] = None,
                 generator_steps: Optional[int] = None,
                 discriminator_steps: Optional[int] = None,
                 shape_check: bool = True,
                 update_mode: str = 'alternating',
                 **unknown):
        reject_unknown_keys(type(self).__name__, unknown,
                            self.config_keys(), 'model')
        if update_mode not in self.UPDATE_MODES:
            raise ValueError(f'model.update_mode={update_mode!r} is not '
                             f'understood; use one of {self.UPDATE_MODES}')
        if update_mode == 'shared' and self.SHARED_LOSSES is None:
            raise ValueError(
                f"model.update_mode='shared' is not available for "
                f'{self.DISPLAY_NAME}: {self.NO_SHARED_REASON} Use '
                f"update_mode='alternating'")
        self.update_mode = update_mode
        self.train_schedule = resolve_schedule(
            self.DEFAULT_SCHEDULE, self.STEP_KEYS, train_schedule,
            dict(generator_steps=generator_steps,
                 discriminator_steps=discriminator_steps), self.DISPLAY_NAME)
        super().__init__(
            generator=generator,
            discriminator=discriminator,
            data_preprocessor=data_preprocessor,
            generator_steps=self.train_schedule.get('generator', 1),
            discriminator_steps=self.train_schedule.get('discriminator', 1),
            noise_size=noise_size,
            ema_config=ema_config,
            loss_config=loss_config)
        for name, net in (networks or {}).items():
            if net is None:
                raise ValueError(f'{self.DISPLAY_NAME} needs a {name} config '
                                 f'(model.{name}=dict(type=...))')
            if isinstance(net, dict):
                net = MODELS.build(
                    net, default_args=dict(latent_size=self.noise_size))
            setattr(self, name, net)
        self._image_shape = probe_network_shapes(
            self) if shape_check else None
        self._checked_first_batch = False

    @classmethod
    def config_keys(cls) -> List[str]:
        """The keys of a model config that this model reads."""
        own = [p for p in inspect.signature(cls.__init__).parameters
               if p not in ('self', 'kwargs')]
        base = [p for p in inspect.signature(
            BaseAutoEncodingGAN.__init__).parameters
                if p not in ('self', 'networks', 'unknown', 'discriminator')]
        return list(dict.fromkeys(own + base))

    def _init_loss(self, loss_config: Optional[dict] = None) -> None:
        """Build the registered loss module from ``loss_config`` (called by
        ``BaseGAN.__init__``); ``self.loss_config`` shows every setting."""
        cfg = dict(loss_config or {})
        cfg.setdefault('type', self.DEFAULT_LOSS)
        self.loss = MODELS.build(cfg)
        missing = [f'{net}_loss' for net in self.PHASES
                   if not callable(getattr(self.loss, f'{net}_loss', None))]
        if missing:
            raise ValueError(
                f'model.loss_config.type={cfg["type"]!r} has no method '
                f'{missing} that {self.DISPLAY_NAME} calls; use '
                f'{self.DEFAULT_LOSS!r} or a loss module with those methods')
        self.loss_config = dict(type=cfg['type'],
                                **getattr(self.loss, 'settings', {}))
        self.gan_loss = self.gen_auxiliary_losses = None
        self.disc_auxiliary_losses = None

    # ------------------------------------------------------------------
    # the auto-encoder
    # ------------------------------------------------------------------
    def real_images(self, data: dict) -> Tensor:
        """Normalised real images of a raw dataloader batch, (N, C, H, W)
        in the generator's output range (:func:`~alpha_gan_plugin.utils.
        real_images`)."""
        return real_images(self.data_preprocessor, data)

    def encode(self, images: Tensor, noise: Optional[Tensor] = None) -> Tensor:
        """Codes of preprocessed images, (N, noise_size), by the bare
        encoder (no distributed wrapper).

        Args:
            images: (N, C, H, W), normalised as the generator's outputs.
            noise: Noise of a stochastic encoder (None: drawn by it).
        """
        return self.encode_with(unwrap(self.encoder), images, noise)

    def encode_with(self, encoder: nn.Module, images: Tensor,
                    noise: Optional[Tensor] = None) -> Tensor:
        """Codes of ``images`` by the given encoder module (the bare one or
        its distributed wrapper); a subclass maps the raw output to the
        model's latent space here."""
        return encoder(images) if noise is None else encoder(images, noise)

    @staticmethod
    def generate_with(generator: nn.Module, noise: Tensor) -> Tensor:
        """Images ``G(noise)`` of the given generator module."""
        out = generator(noise=noise, return_noise=False)
        return out['fake_img'] if isinstance(out, dict) else out

    def reconstruct(self,
                    images: Tensor,
                    sample_model: str = 'orig',
                    noise: Optional[Tensor] = None) -> Tensor:
        """Reconstructions ``G(E(x))`` of preprocessed images.

        Args:
            images: (N, C, H, W), normalised as the generator's outputs.
            sample_model: ``'orig'`` or ``'ema'`` (the EMA generator).
            noise: Noise of a stochastic encoder (None otherwise).

        Returns:
            Tensor: Reconstructions of the same shape and range.
        """
        if sample_model == 'ema':
            if not self.with_ema_gen:
                raise ValueError("sample_model='ema' but the model has no EMA "
                                 'generator (set ema_config)')
            gen = self.generator_ema
        elif sample_model == 'orig':
            gen = unwrap(self.generator)
        else:
            raise ValueError(f"sample_model must be 'orig' or 'ema', got "
                             f'{sample_model!r}')
        return self.generate_with(gen, self.encode(images, noise))

    # ------------------------------------------------------------------
    # training
    # ------------------------------------------------------------------
    def phase_nets(self, *trained: str) -> PhaseNets:
        """The networks as an update of ``trained`` must call them
        (:class:`PhaseNets`)."""
        return PhaseNets(self, trained)

    def _check_first_batch(self, real: Tensor,
                           optim_wrapper: OptimWrapperDict) -> None:
        missing = [n for n in self.PHASES if n not in optim_wrapper]
        if missing:
            per_net = ', '.join(f'{n}=dict(...)' for n in self.PHASES)
            raise ValueError(
                f'optim_wrapper has no optimizer for {missing}; '
                f'{self.DISPLAY_NAME} needs one per network: optim_wrapper='
                f"dict(constructor='MultiOptimWrapperConstructor', {per_net})")
        if self._image_shape is not None and \
                tuple(real.shape[1:]) != self._image_shape:
            raise ValueError(
                f'the data gives images of shape {tuple(real.shape[1:])} but '
                f'the networks make/take {self._image_shape}; change the '
                f'dataset image size/channels or the networks\' '
                f'output_scale/input_scale/in_channels/out_channels')

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One iteration: every network updated per ``train_schedule``, in
        the way ``update_mode`` says; one host synchronisation for the
        finite-loss check (:class:`~.schedule.FiniteLossCheck`).

        Args:
            data: A batch from the dataloader (``inputs`` and
                ``data_samples`` with ``gt_img``).
            optim_wrapper: One ``OptimWrapper`` per network.

        Returns:
            dict: Scalars for logging, one group per network.
        """
        real = self.real_images(data)
        if not self._checked_first_batch:
            self._check_first_batch(real, optim_wrapper)
            self._checked_first_batch = True
        curr_iter = MessageHub.get_current_instance().get_info('iter', 0)
        check = FiniteLossCheck(self.DISPLAY_NAME, curr_iter)
        if self.update_mode == 'shared':
            log_vars = self._shared_iteration(real, optim_wrapper, check)
        else:
            log_vars = {}
            for name, steps in self.train_schedule.items():
                log_vars.update(
                    self._run_phase(name, real, optim_wrapper[name], steps,
                                    check))
        check.raise_if_not_finite()
        self._update_ema(curr_iter)
        return log_vars

    def train_phase(self,
                    name: str,
                    real: Tensor,
                    wrapper,
                    steps: int = 1,
                    curr_iter: int = 0) -> Dict[str, Tensor]:
        """Update one network ``steps`` times with the others frozen,
        checking every loss before its update.

        Args:
            name: One of the networks (a key of ``PHASES``).
            real: Preprocessed real images (N, C, H, W).
            wrapper: The ``OptimWrapper`` of that network.
            steps: Number of updates.
            curr_iter: Training iteration, for error messages.

        Returns:
            dict: The phase's losses, averaged over its steps.
        """
        return self._run_phase(name, real, wrapper, steps,
                               FiniteLossCheck(self.DISPLAY_NAME, curr_iter),
                               check_each_step=True)

    def _run_phase(self, name: str, real: Tensor, wrapper, steps: int,
                   check: FiniteLossCheck,
                   check_each_step: bool = False) -> Dict[str, Tensor]:
        """The updates of one network (:func:`~.updates.run_phase`)."""
        return run_phase(self, name, real, wrapper, steps, check,
                         check_each_step)

    def _shared_iteration(self, real: Tensor,
                          optim_wrapper: OptimWrapperDict,
                          check: FiniteLossCheck) -> Dict[str, Tensor]:
        """``update_mode='shared'`` (:func:`~.updates.shared_iteration`)."""
        return shared_iteration(self, real, optim_wrapper, check)

    def _update_ema(self, curr_iter: int) -> None:
        """The EMA update of the generator (:func:`~.updates.update_ema`)."""
        update_ema(self, curr_iter)

    def train_generator(self, *args, **kwargs):
        """Not used: every network is trained by its phase."""
        raise NotImplementedError(f'{self.DISPLAY_NAME} trains by train_step')

    train_discriminator = train_generator
