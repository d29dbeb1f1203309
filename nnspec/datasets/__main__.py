"""``python -m nnspec.datasets``: download full MNIST, or check the files you have.

python -m nnspec.datasets download [--dir DIR] [--mirror URL] [--test-only]
python -m nnspec.datasets check [--dir DIR]
"""

from __future__ import annotations

import argparse
import sys

from ._common import ChecksumError, DownloadError
from .mnist import MNIST_FILES, download_mnist, mnist_dir, verify_file


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnspec.datasets", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    dl = sub.add_parser("download", help="download the MNIST files that are missing or damaged, and verify them")
    dl.add_argument("--dir", help="destination folder (default: $NNSPEC_DATA, else <cache>/mnist)")
    dl.add_argument("--mirror", help="base URL (default: $NNSPEC_MNIST_MIRROR, else the built-in mirror)")
    dl.add_argument("--test-only", action="store_true", help="only the two t10k files (10,000 test images)")
    ck = sub.add_parser("check", help="check size and checksums of the MNIST files in a folder")
    ck.add_argument("--dir", help="folder (default: $NNSPEC_DATA, else <cache>/mnist)")
    args = parser.parse_args(argv)

    if args.command == "download":
        keys = ("test_img", "test_label") if args.test_only else None
        try:
            folder = download_mnist(args.dir, mirror=args.mirror, keys=keys)
        except (DownloadError, ChecksumError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"MNIST files verified in {folder}")
        return 0

    folder = mnist_dir(args.dir)
    status = 0
    for spec in MNIST_FILES.values():
        path = folder / spec.filename
        if not path.is_file():
            print(f"missing  {path}")
            status = 1
            continue
        try:
            verify_file(path, spec)
        except ChecksumError as exc:
            print(f"BAD      {exc}")
            status = 1
        else:
            print(f"ok       {path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
