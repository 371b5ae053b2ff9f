"""The raw-PyTorch floors of tools/benchmark_throughput.py: alpha-GAN's
iteration written by hand on the config's networks, in both update modes
(same networks, weights, batch, losses and Adam settings; no checks)."""


def pure_torch_step_fn(cfg, data):
    """alpha-GAN's iteration written by hand on the same networks."""
    import torch
    import torch.nn.functional as F

    from benchmark_throughput import _build_mmagic
    model, _ = _build_mmagic(cfg)  # only for identical networks and init
    E, G = model.encoder, model.generator
    D, C = model.discriminator, model.code_discriminator
    loss_cfg = model.loss_config
    sched = dict(model.train_schedule)
    nets = dict(encoder=E, generator=G, discriminator=D, code_discriminator=C)
    opts = {}
    for name, net in nets.items():
        o = cfg.optim_wrapper[name]['optimizer']
        opts[name] = torch.optim.Adam(net.parameters(), lr=o['lr'],
                                      betas=tuple(o.get('betas',
                                                        (0.9, 0.999))))
    imgs = torch.stack([s.gt_img for s in data['data_samples']]).float()
    mean = torch.tensor(cfg.model.data_preprocessor.mean).view(1, -1, 1, 1)
    std = torch.tensor(cfg.model.data_preprocessor.std).view(1, -1, 1, 1)
    nz = model.noise_size
    w_rec, w_img, w_code = (loss_cfg['rec_weight'],
                            loss_cfg['image_adv_weight'],
                            loss_cfg['code_adv_weight'])
    # the reconstruction stream's weights (0 skips D's forward of it)
    w_drec, w_dsmp, w_grec = (loss_cfg['disc_recon_weight'],
                              loss_cfg['disc_sample_weight'],
                              loss_cfg['gen_recon_adv_weight'])
    if loss_cfg['enc_image_adv_weight']:
        raise ValueError('the floor does not implement enc_image_adv_weight')

    def adv(logits, form):
        return -logits.mean() if form == 'ratio' else \
            F.softplus(-logits).mean()

    def gen(z):
        return G(z)

    def freeze_all_but(name):
        for n, net in nets.items():
            for p in net.parameters():
                p.requires_grad_(n == name)

    def update(name, loss):
        opts[name].zero_grad(set_to_none=True)
        loss.backward()
        opts[name].step()

    def step():
        x = (imgs - mean) / std
        n = x.shape[0]
        freeze_all_but('encoder')
        for _ in range(sched['encoder']):
            codes = E(x)
            loss = w_rec * (x - gen(codes)).abs().mean() + w_code * adv(
                C(codes), loss_cfg['code_adv_form'])
            update('encoder', loss)
        freeze_all_but('generator')
        for _ in range(sched['generator']):
            generator_update(x, n)
        freeze_all_but('discriminator')
        for _ in range(sched['discriminator']):
            with torch.no_grad():
                recon = gen(E(x)) if w_drec else None
                fake = gen(torch.randn(n, nz))
            loss = F.softplus(-D(x)).mean() + w_dsmp * F.softplus(
                D(fake)).mean()
            if w_drec:
                loss = loss + w_drec * F.softplus(D(recon)).mean()
            update('discriminator', loss)
        freeze_all_but('code_discriminator')
        for _ in range(sched['code_discriminator']):
            with torch.no_grad():
                codes = E(x)
            loss = F.softplus(-C(torch.randn(n, nz))).mean() + \
                F.softplus(C(codes)).mean()
            update('code_discriminator', loss)
        for net in nets.values():
            for p in net.parameters():
                p.requires_grad_(True)

    def shared_step():
        x = (imgs - mean) / std
        n = x.shape[0]
        codes = E(x)
        recon = gen(codes)
        fake = gen(torch.randn(n, nz))
        prior = torch.randn(n, nz)
        d_real, d_fake = D(x), D(fake)
        d_rec = D(recon) if (w_drec or w_grec) else None
        c_code = C(codes)
        rec = w_rec * (x - recon).abs().mean()
        form = loss_cfg['image_adv_form']
        g_adv = adv(d_fake, form)
        d_loss = F.softplus(-d_real).mean() + w_dsmp * F.softplus(
            d_fake).mean()
        if w_grec:
            g_adv = g_adv + w_grec * adv(d_rec, form)
        if w_drec:
            d_loss = d_loss + w_drec * F.softplus(d_rec).mean()
        losses = dict(
            encoder=rec + w_code * adv(c_code, loss_cfg['code_adv_form']),
            generator=rec + w_img * g_adv,
            discriminator=d_loss,
            code_discriminator=F.softplus(-C(prior)).mean() +
            F.softplus(c_code).mean())
        for i, (name, loss) in enumerate(losses.items()):
            opts[name].zero_grad(set_to_none=True)
            loss.backward(inputs=list(nets[name].parameters()),
                          retain_graph=i < 3)
        for opt in opts.values():
            opt.step()
        for name, count in sched.items():  # extra updates: alternating
            for _ in range(count - 1):
                freeze_all_but(name)
                extra[name](x, n)
        for net in nets.values():
            for p in net.parameters():
                p.requires_grad_(True)

    def generator_update(x, n):
        """One generator update with its own forward (E frozen)."""
        with torch.no_grad():
            codes = E(x)
        recon, fake = gen(codes), gen(torch.randn(n, nz))
        form = loss_cfg['image_adv_form']
        g_adv = adv(D(fake), form)
        if w_grec:
            g_adv = g_adv + w_grec * adv(D(recon), form)
        update('generator', w_rec * (x - recon).abs().mean() + w_img * g_adv)

    def extra_unsupported(x, n):
        raise ValueError('the shared floor times extra generator updates '
                         'only')
    extra = dict(encoder=extra_unsupported, generator=generator_update,
                 discriminator=extra_unsupported,
                 code_discriminator=extra_unsupported)
    return shared_step if model.update_mode == 'shared' else step
