"""`make dist`: the results package of a run (secure_isac.pipeline.dist): its datasets, figures and claims with
SHA-256 checksums and a metadata file in dist/secure-isac-results-<commit>.tar.gz.

Usage (repository root, after `make figures`): make dist [DIST_ARGS="--configfile config/test.yaml"]
"""

import sys

from secure_isac.pipeline.dist import main

if __name__ == "__main__":
    sys.exit(main())
