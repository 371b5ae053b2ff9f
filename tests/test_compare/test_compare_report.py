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
