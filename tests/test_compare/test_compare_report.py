"""The comparison report's table: mean and sample std over seeds."""
from helpers.compare import table_rows, write_tiny
from alpha_gan_plugin import compare


def test_report_table_mean_and_spread_over_seeds(tmp_path):
    cfg, _ = write_tiny(tmp_path)
    cmp = compare.load_compare_config(cfg)

    def run(model, seed, fid, l1=None):
        final = {'FID/fid': fid}
        if l1 is not None:
            final['Rec/rec_l1'] = l1
        iters = 8 if model == 'DCGAN' else 4  # iter_scale 2
        return dict(model=model, seed=seed, iters=iters, train_seconds=60.0,
                    final=final, curves=[])
    summaries = [run('alpha-GAN', 0, 10.0, 0.2),
                 run('alpha-GAN', 1, 14.0, 0.4),
                 run('DCGAN', 0, 20.0), run('DCGAN', 1, 20.0)]
    text = compare.write_report(cmp, summaries, {'FID/fid': 1.5}, 'cmd')
    rows = table_rows(text)
    # sample std over seeds: std(10, 14) = 2.828..., std(0.2, 0.4) = 0.141..
    assert rows['alpha-GAN'] == ['4', '1.000 ± 0.000', '12.000 ± 2.828',
                                 '0.300 ± 0.141']
    assert rows['DCGAN'] == ['8 (÷2)', '1.000 ± 0.000', '20.000 ± 0.000',
                             'n/a']
    assert rows['data'] == ['', '', '1.500', '']
    # every alpha-GAN seed has a lower FID than every DCGAN seed; rec. L1
    # has one model only
    assert '| FID | alpha-GAN > DCGAN |' in text
    assert '| rec. L1 | none |' in text
    assert 'probability at most 0.33 per pair' in text  # 2 / C(4, 2)
    pairs = dict(compare.report.separated_pairs(
        cmp, summaries + [run('DCGAN', 2, 9.0)], {}, [
            ('FID/fid', 'FID', 'lower')]))
    assert pairs == {'FID': []}  # DCGAN's third seed overlaps
    # 'near data' metrics rank by the distance to the data row
    near = [dict(model=m, seed=s, final={'P/d': v}) for m, s, v in (
        ('alpha-GAN', 0, 1.1), ('alpha-GAN', 1, 0.9),
        ('DCGAN', 0, 1.5), ('DCGAN', 1, 0.4))]
    pairs = dict(compare.report.separated_pairs(
        cmp, near, {'P/d': 1.0}, [('P/d', 'density', 'near data')]))
    assert pairs == {'density': ['alpha-GAN > DCGAN']}
    assert dict(compare.report.separated_pairs(
        cmp, near, {}, [('P/d', 'density', 'near data')])) == {'density': []}


def test_command_inside_the_repository_is_relative():
    from helpers import ROOT, tool
    cmd = tool('compare').portable_command(
        [f'{ROOT}/configs/compare/fashion_mnist.py', '--cfg-options',
         f'classifier={ROOT}/work_dirs/c.pth', 'budget.iters=5',
         '--work-dir', '/somewhere/else/wd/'])
    assert cmd == ('python tools/compare.py configs/compare/fashion_mnist.py '
                   '--cfg-options classifier=work_dirs/c.pth budget.iters=5 '
                   '--work-dir <elsewhere>/wd')


def test_curves_keep_each_models_colour_in_every_panel(tmp_path,
                                                       monkeypatch):
    """A model without a metric (DCGAN has no reconstructions) leaves its
    colour unused in that panel: the next model keeps its own colour."""
    import contextlib
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from alpha_gan_plugin.compare import figures
    kept = []

    @contextlib.contextmanager
    def fake_panels(num, *args, **kwargs):
        fig, axes = plt.subplots(1, num, squeeze=False)
        kept.extend(axes.flat)
        yield list(axes.flat)
    monkeypatch.setattr(figures, 'panel_figure', fake_panels)
    models = [dict(name=n, iter_scale=1) for n in ('A', 'DCGAN', 'AGE')]
    cmp = dict(models=models, budget=dict(eval_every_seconds=None))

    def run(model, metrics):
        return dict(model=model, curves=[
            dict(iter=i, metrics={k: v + i for k, v in metrics.items()})
            for i in (10, 20)])
    summaries = [run('A', {'F/fid': 1.0, 'R/l1': 0.1}),
                 run('DCGAN', {'F/fid': 2.0}),
                 run('AGE', {'F/fid': 3.0, 'R/l1': 0.2})]
    figures.plot_curves(cmp, summaries, [('F/fid', 'FID', 'lower'),
                                         ('R/l1', 'L1', 'lower')],
                        str(tmp_path / 'c.png'))
    colours = [{ln.get_label(): matplotlib.colors.to_hex(ln.get_color())
                for ln in ax.get_lines()} for ax in kept]
    assert set(colours[1]) == {'A', 'AGE'}
    for panel in colours:
        for i, model in enumerate(models):
            if model['name'] in panel:
                assert panel[model['name']] == matplotlib.colors.to_hex(
                    f'C{i}'), (panel, model['name'])
    plt.close('all')
