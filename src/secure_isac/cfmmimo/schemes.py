"""The schemes of study 1 and the problem each optimises: the one declaration of the scheme vocabulary (the
workflow's configuration schema, paths and per-scheme option scopes are derived from it; docs/model.md, 1.9-1.16)."""

from __future__ import annotations

SCHEMES = ("cp", "sp", "sp_early", "cp_paper", "sp_paper", "baseline")
"""The schemes `optimise` knows: CP and SP with the corrected SCA surrogate (docs/model.md S1-24 to S1-28), SP
stopped early, the paper's own SCA (cp_paper, sp_paper) and the equal-power baseline with random AP modes."""
# the problem a penalty-SCA scheme solves: communication-prioritised (cp) or security-prioritised (sp); the baseline
# optimises nothing (equal power)
KIND = {"cp": "cp", "cp_paper": "cp", "sp": "sp", "sp_early": "sp", "sp_paper": "sp"}
TRACED = tuple(s for s in SCHEMES if s in KIND)  # schemes with an SCA trace (Fig. 2)
PAPER_SCHEMES = ("cp_paper", "sp_paper")  # the paper-faithful SCA (paper_sca.PaperSurrogate): no pilot contamination
# schemes whose optimiser reads SolverOptions.sensing_design (options.FIELDS_READ); the others keep (12)/(17)
COHERENT_DESIGN_SCHEMES = ("cp", "sp", "sp_early")
