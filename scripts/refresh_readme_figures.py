"""Copy the PNGs of an up-to-date default run to docs/figures/ (docs/extensions/), the images the README shows.

Run outputs and README images never share a path, so a run (the toy run of the tests included) cannot change a
tracked file. This script refuses unless `snakemake -n <target>` with the default configuration has nothing to
do, i.e. the figures on disk are exactly what the default configuration and the current code give.

The figures beyond the papers (target `extensions`, workflow/rules/extensions.smk) exist only under the
configuration that ships each one (EXTENSIONS): target eve_uncertainty, pilot_contamination or coherent_design
checks `snakemake -n extensions <that configuration>` and copies figures/cfmmimo/<name>.png to docs/extensions/.
Each needs a checkout of its own (config/eve_uncertainty.yaml draws other layout batches than the default).
Usage (repository root): make readme-figures [TARGETS="figures sweeps scenarios sensitivity pilot_contamination"]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STUDIES = {"cfmmimo": ("fig2", "fig3", "fig4", "layout_map", "fig3_decomposition"), "dfbs": ("fig2", "fig3", "fig4")}
# {extension figure: the shipped configuration (snakemake arguments) under which `extensions` draws it}
EXTENSIONS = {
    "eve_uncertainty": ("--configfile", "config/eve_uncertainty.yaml"),
    "pilot_contamination": ("--configfile", "config/pilot_contamination.yaml"),
    "coherent_design": ("--config", "scenarios={file: config/coherent_sensing.yaml}"),
}
TARGETS = ("figures", "sweeps", "scenarios", "sensitivity", *EXTENSIONS)


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
    if target in EXTENSIONS:
        return [Path("cfmmimo", f"{target}.png")]
    raise ValueError(f"target: one of {', '.join(TARGETS)}, got {target!r}")


def command(target: str) -> list[str]:
    """The snakemake arguments that build `target` (the workflow target and, for an extension figure, the
    configuration that ships it)."""
    return ["extensions", *EXTENSIONS[target]] if target in EXTENSIONS else [target]


def destination(target: str, rel: Path) -> Path:
    """Where the README's copy of figures/<rel> goes."""
    return REPO / "docs" / "extensions" / rel.name if target in EXTENSIONS else REPO / "docs" / "figures" / rel


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="*", default=["figures"], choices=TARGETS)
    args = ap.parse_args(argv)
    for target in args.targets:
        cmd = command(target)
        dry = subprocess.run([sys.executable, "-m", "snakemake", "-n", *cmd], cwd=REPO, capture_output=True,
                             text=True)
        if dry.returncode != 0 or "Nothing to be done" not in dry.stdout + dry.stderr:
            shown = " ".join(f"'{a}'" if " " in a else a for a in cmd)
            print(f"figures/ is not the output of an up-to-date run (`snakemake -n {shown}` has jobs to run);\n"
                  f"run `snakemake --cores 8 {shown}` first"
                  + ("." if target in EXTENSIONS else " (default config/config.yaml, no --configfile)."),
                  file=sys.stderr)
            return 1
        for rel in pngs(target):
            src, dest = REPO / "figures" / rel, destination(target, rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
            print(f"{src.relative_to(REPO)} -> {dest.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
