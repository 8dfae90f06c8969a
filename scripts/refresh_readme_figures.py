"""Copy the PNGs of an up-to-date default run to docs/figures/, the images the README shows.

Run outputs and README images never share a path, so a run (the toy run of the tests included) cannot change a
tracked file. This script refuses unless `snakemake -n <target>` with the default configuration has nothing to
do, i.e. the figures on disk are exactly what the default configuration and the current code give.
Usage (repository root): make readme-figures [TARGETS="figures sweeps scenarios sensitivity"]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STUDIES = {"cfmmimo": ("fig2", "fig3", "fig4", "layout_map", "fig3_decomposition"), "dfbs": ("fig2", "fig3", "fig4")}


def pngs(target: str) -> list[Path]:
    """The figures of a target, relative to figures/."""
    if target == "figures":
        return [Path(study, f"{name}.png") for study, names in STUDIES.items() for name in names]
    if target == "sweeps":
        return sorted(p.relative_to(REPO / "figures") for study in STUDIES
                      for p in (REPO / "figures" / study).glob("sweep_*.png"))
    if target == "scenarios":
        return [Path("scenarios", "summary.png")]
    if target == "sensitivity":
        return [Path("sensitivity", "claims.png")]
    raise ValueError(f"target: one of figures, sweeps, scenarios, sensitivity, got {target!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="*", default=["figures"],
                    choices=["figures", "sweeps", "scenarios", "sensitivity"])
    args = ap.parse_args(argv)
    for target in args.targets:
        dry = subprocess.run([sys.executable, "-m", "snakemake", "-n", target], cwd=REPO, capture_output=True,
                             text=True)
        if dry.returncode != 0 or "Nothing to be done" not in dry.stdout + dry.stderr:
            print(f"figures/ is not the output of an up-to-date default run (`snakemake -n {target}` has jobs to "
                  f"run);\nrun `snakemake --cores 8 {target}` (default config/config.yaml, no --configfile) first.",
                  file=sys.stderr)
            return 1
        for rel in pngs(target):
            src, dest = REPO / "figures" / rel, REPO / "docs" / "figures" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            print(f"{src.relative_to(REPO)} -> {dest.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
