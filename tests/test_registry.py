"""The README's "What is registered" table equals what importing the plugin
adds to MMagic's registries (and mmengine's file backends)."""
import os.path as osp
import re
import subprocess
import sys

from helpers import ROOT

# Run in a fresh interpreter: test modules register helpers of their own
# (e.g. a hook that poisons weights), which are not the plugin's.
PROBE = r'''
import json
import mmagic.registry as R
from mmengine.fileio.backends import registry_utils
import alpha_gan_plugin  # noqa: F401

def own(module_dict):
    return sorted(k for k, v in module_dict.items()
                  if getattr(v, '__module__', '').startswith('alpha_gan_plugin'))

out = {f'mmagic.registry.{name}': own(getattr(R, name).module_dict)
       for name in dir(R) if name.isupper()
       and hasattr(getattr(R, name), 'module_dict')}
out['mmengine file backends'] = own(registry_utils.backends)
print(json.dumps({k: v for k, v in out.items() if v}))
'''


def readme_table():
    with open(osp.join(ROOT, 'README.md'), encoding='utf-8') as f:
        text = f.read()
    section = text.split('## What is registered', 1)[1].split('\n## ', 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 2 or cells[0] in ('registry', '---'):
            continue
        table[cells[0].strip('`')] = sorted(re.findall(r'`([^`]+)`',
                                                       cells[1]))
    return table


def test_readme_lists_exactly_what_is_registered():
    import json
    out = subprocess.run([sys.executable, '-c', PROBE], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    registered = json.loads(out.stdout.strip().splitlines()[-1])
    table = readme_table()
    assert table, 'the README has no "What is registered" table'
    assert table == registered
