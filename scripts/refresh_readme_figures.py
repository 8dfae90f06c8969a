"""Copy the PNGs of an up-to-date default run (figures/<study>/*.png) to docs/figures/, the images the README shows.

Run outputs and README images never share a path, so a run (the toy run of the tests included) cannot change a
tracked file. This script refuses unless `snakemake -n figures` with the default configuration has nothing to
do, i.e. the figures on disk are exactly what the default configuration and the current code give.
Usage (repository root): make readme-figures
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STUDIES = {"cfmmimo": ("fig2", "fig3", "fig4", "layout_map"), "dfbs": ("fig2", "fig3", "fig4")}


def main() -> int:
    dry = subprocess.run([sys.executable, "-m", "snakemake", "-n", "figures"], cwd=REPO, capture_output=True,
                         text=True)
    if dry.returncode != 0 or "Nothing to be done" not in dry.stdout + dry.stderr:
        print("figures/ is not the output of an up-to-date default run (`snakemake -n figures` has jobs to run);\n"
              "run `make figures` (default config/config.yaml, no --configfile) first.", file=sys.stderr)
        return 1
    for study, names in STUDIES.items():
        dest = REPO / "docs" / "figures" / study
        dest.mkdir(parents=True, exist_ok=True)
        for name in names:
            src = REPO / "figures" / study / f"{name}.png"
            shutil.copy2(src, dest / src.name)
            print(f"{src.relative_to(REPO)} -> {(dest / src.name).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
