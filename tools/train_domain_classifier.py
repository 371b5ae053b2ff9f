"""Train the Fashion-MNIST domain classifier used by ``ClassifierScore``.

Example::

    python tools/train_domain_classifier.py \
        --data-root /usr/share/datasets/fashion-mnist \
        --out work_dirs/classifiers/fashion_mnist_cnn.pth

Images are resized to 32x32 exactly as ``FashionMNISTDataset`` does
(``alpha_gan_plugin.datasets.fashion_mnist.resize_images``) and mapped to
[-1, 1]; the last 5k training images are held out for model selection, the
10k test split gives the reported accuracy (stored in the checkpoint meta).
"""
import argparse
import os.path as osp
import time

import numpy as np
import torch
import torch.nn.functional as F
from _common import ensure_importable, run_cli

ensure_importable()

from alpha_gan_plugin.datasets.fashion_mnist import (  # noqa: E402
    _SPLIT_FILES, read_idx, resize_images)
from alpha_gan_plugin.evaluation.domain_classifier import (  # noqa: E402
    FashionMNISTCNN, save_domain_classifier)


def load_split(root: str, split: str, size: int):
    img_name, lab_name = _SPLIT_FILES[split]
    paths = []
    for name in (img_name, lab_name):
        for cand in (name + '.gz', name):
            if osp.isfile(osp.join(root, cand)):
                paths.append(osp.join(root, cand))
                break
        else:
            raise FileNotFoundError(
                f'{name}[.gz] not found in --data-root {root}; install the '
                f'Debian package dataset-fashion-mnist or point --data-root '
                f'to the idx files')
    images = resize_images(read_idx(paths[0]), size, 1)
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 127.5 - 1
    y = torch.from_numpy(read_idx(paths[1]).astype(np.int64))
    return x, y


@torch.no_grad()
def accuracy(model, x, y, batch_size=1000):
    model.eval()
    correct = 0
    for xb, yb in zip(x.split(batch_size), y.split(batch_size)):
        correct += (model(xb).argmax(1) == yb).sum().item()
    return correct / len(y)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root',
                        default='/usr/share/datasets/fashion-mnist')
    parser.add_argument('--out', required=True, help='checkpoint to write')
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--lr', type=float, default=2e-3)
    parser.add_argument('--image-size', type=int, default=32)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch default)')
    args = parser.parse_args(argv)
    for name in ('epochs', 'batch_size'):
        if getattr(args, name) < 1:
            raise ValueError(f'--{name.replace("_", "-")} '
                             f'{getattr(args, name)}: must be at least 1')
    if args.image_size < 8:
        raise ValueError(f'--image-size {args.image_size}: the classifier '
                         f'needs images of at least 8x8 pixels')

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_train, y_train = load_split(args.data_root, 'train', args.image_size)
    x_test, y_test = load_split(args.data_root, 'test', args.image_size)
    x_val, y_val = x_train[-5000:], y_train[-5000:]
    x_train, y_train = x_train[:-5000], y_train[:-5000]

    model = FashionMNISTCNN(in_channels=1, num_classes=10)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * (len(x_train) // args.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=steps)
    gen = torch.Generator().manual_seed(args.seed)
    best, best_state = -1., None
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(x_train), generator=gen)
        for i in range(len(x_train) // args.batch_size):
            idx = perm[i * args.batch_size:(i + 1) * args.batch_size]
            xb = x_train[idx]
            # horizontal flips: Fashion-MNIST classes are flip-invariant
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip.view(-1, 1, 1, 1), xb.flip(3), xb)
            loss = F.cross_entropy(model(xb), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        val_acc = accuracy(model, x_val, y_val)
        print(f'epoch {epoch + 1}: loss {loss.item():.4f} val acc '
              f'{val_acc:.4f} ({time.time() - t0:.0f}s)', flush=True)
        if val_acc > best:
            best = val_acc
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    test_acc = accuracy(model, x_test, y_test)
    save_domain_classifier(
        args.out, model,
        dict(image_size=args.image_size, in_channels=1, num_classes=10,
             dataset='Fashion-MNIST', val_accuracy=best,
             test_accuracy=test_acc, epochs=args.epochs, seed=args.seed))
    print(f'test accuracy {test_acc:.4f}; saved {args.out}')


if __name__ == '__main__':
    run_cli(main)
