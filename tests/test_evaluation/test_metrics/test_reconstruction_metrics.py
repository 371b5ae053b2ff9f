"""ReconstructionMetrics: golden values of a known reconstruction."""
import pytest
import torch

from helpers.evaluation import FakeAutoEncoder, fashion_dataset, loader
from alpha_gan_plugin.evaluation import functional as Fm
from alpha_gan_plugin.evaluation.metrics import ReconstructionMetrics


def test_reconstruction_metrics_golden():
    dataset = fashion_dataset(num=20)
    model = FakeAutoEncoder()
    m = ReconstructionMetrics(real_nums=-1)
    dl = loader(dataset, 6)
    m.prepare(model, dl)
    for batch in m.get_metric_sampler(model, dl, [m]):
        m.process(batch, [])
    res = m.evaluate()
    # recon = 0.9 x in [-1, 1]  <=>  0.9 x01 + 0.05 in [0, 1]
    x01 = torch.stack([torch.as_tensor(dataset[i]['data_samples'].gt_img)
                       for i in range(20)]).double() / 255.
    err = 0.1 * x01 - 0.05
    assert res['Rec/rec_l1'] == pytest.approx(err.abs().mean().item(),
                                              abs=1e-6)
    mse = err.pow(2).flatten(1).mean(1)
    assert res['Rec/rec_mse'] == pytest.approx(mse.mean().item(), abs=1e-7)
    assert res['Rec/rec_psnr'] == pytest.approx(
        (-10 * torch.log10(mse)).mean().item(), abs=1e-4)
    ref = Fm.ms_ssim(x01, 0.9 * x01 + 0.05, data_range=1.)
    assert res['Rec/rec_ms_ssim'] == pytest.approx(ref.item(), abs=1e-5)
