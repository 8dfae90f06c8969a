"""Reference reproduction of two secure ISAC papers.

Subpackages: :mod:`secure_isac.cfmmimo` (cell-free massive MIMO ISAC, arXiv:2603.18635) and
:mod:`secure_isac.dfbs` (dual-function base station with antenna allocation, arXiv:2410.01603).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("secure-isac")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
