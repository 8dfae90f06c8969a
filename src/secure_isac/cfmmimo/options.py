"""Options of the study-1 penalty-SCA optimisers (penalty schedule, stopping, rounding, solver)."""

from __future__ import annotations

from typing import Literal

from pydantic.dataclasses import dataclass

from ..fields import PARAMS_CONFIG, Annotated, Bool, Field, Float, Int, validated

SOLVERS = ("CLARABEL", "SCS")


@validated
@dataclass(frozen=True, config=PARAMS_CONFIG)
class SolverOptions:
    """Options of the penalty-SCA optimisers (docs/model.md, penalty and stopping); `spec_schedule()` gives the
    paper's literal schedule (docs/deviations.md S1-O2).

    Raises
    ------
    secure_isac.fields.ParamError
        A ValueError with one "field: message" line per invalid field.
    """

    solver: Annotated[Literal["CLARABEL", "SCS"], Field(description="Convex solver of every SCA step.")] = "CLARABEL"
    max_iter: Annotated[Int, Field(ge=1, le=10000, description="Maximum penalty-SCA iterations.")] = 100
    rel_tol: Annotated[Float, Field(gt=0, le=1, description="Relative objective change that stops SCA.")] = 1e-4
    bin_tol: Annotated[Float, Field(gt=0, lt=0.5, description=(
        "max_m min(a_m, 1 - a_m) below this counts as binary."))] = 1e-3
    rate_tol: Annotated[Float, Field(ge=0, le=0.1, description=(
        "Stop the penalty and repair loops once a is binary and every reported rate (min UE, max Eve, average "
        "secrecy) has settled: last change and extrapolated remaining change at most this, in bit/s/Hz "
        "(0 = objective test only, the literal rule; docs/deviations.md S1-O12)."))] = 1e-4
    sp_stall_window: Annotated[Int, Field(ge=0, le=10000, description=(
        "Stop the SP penalty loop (sp, sp_early, sp_paper) once a is binary and its best objective (max Eve "
        "SINR) has not improved by rel_tol (relative) over this many iterations (0 = off, the literal rule; "
        "docs/deviations.md S1-O14)."))] = 10
    repair_max_iter: Annotated[Int, Field(ge=1, le=10000, description=(
        "Iterations of the fixed-mode power re-optimisation after rounding."))] = 40
    early_abs_tol: Annotated[Float, Field(gt=0, le=1, description=(
        "Absolute objective change that stops the early-stopped SP (sp_early)."))] = 1e-3
    lambda0_factor: Annotated[Float, Field(gt=0, le=1e6, description=(
        "Initial penalty lambda_0 = lambda0_factor * t0 (the literal schedule uses 0.1)."))] = 1.0
    lambda_growth: Annotated[Float, Field(ge=1, le=100, description=(
        "Penalty growth factor per iteration (>= 1)."))] = 1.5
    lambda_cap_cp: Annotated[Float, Field(gt=0, description="Penalty cap of CP relative to t0.")] = 1e5
    lambda_cap_sp: Annotated[Float, Field(gt=0, description="Absolute penalty cap of SP.")] = 1e3
    feas_tol: Annotated[Float, Field(gt=0, le=0.1, description=(
        "Relative tolerance of the final closed-form constraint check (feasible flag)."))] = 1e-4
    frac_tol: Annotated[Float, Field(gt=0, lt=0.5, description=(
        "APs with min(a, 1 - a) above this count as fractional in rounding."))] = 1e-6
    max_draws: Annotated[Int, Field(ge=1, le=100000, description=(
        "Random mode draws before the phase-1 start."))] = 500
    solver_eps: Annotated[Annotated[Float, Field(gt=0, le=0.01)] | None, Field(description=(
        "Solver accuracy (CLARABEL gap tolerances, SCS eps); null = the measured default of each solver."))] = None
    lambda_cap_running: Annotated[Bool, Field(description=(
        "CP penalty cap relative to the best t so far (false = relative to the start's t0, literal schedule)."))] = True
    stop_when_binary: Annotated[Bool, Field(description=(
        "End the penalty phase once a is binary (false = also wait for rel_tol, literal schedule)."))] = True
    pinned_form_max_mk: Annotated[Int, Field(ge=0, le=10**9, description=(
        "Problems with M*K at most this keep the earlier pinned form of the fixed-mode steps of rounding and repair "
        "(a_lo = a_hi = modes; 256 = every configured figure, the designs before deviation S1-O13 (i) applied at "
        "every size; 0 = the decoupled form everywhere; docs/deviations.md S1-O13)."))] = 0
    verbose: Annotated[Bool, Field(description="Print solver output into the job log.")] = False
    sensing_design: Annotated[Literal["noncoherent", "coherent"], Field(description=(
        'Sensing model the cp, sp and sp_early designs optimise: "noncoherent" ((12)/(17) as printed, the paper\'s '
        'model: the default) or "coherent" (the sensing beams of the APs add with their LoS phases at a zone, as '
        "under system.sensing_combining: coherent; an SCA in the sensing amplitudes, not in the paper: "
        "docs/extensions/coherent-sensing.md, docs/deviations.md S1-O20 to S1-O22). The paper-faithful SCA (cp_paper, "
        "sp_paper) and the baseline keep (12)/(17). What is reported follows system.sensing_combining."))] = (
        "noncoherent")
    paper_start: Annotated[Literal["binary", "relaxed"], Field(description=(
        'Start of the paper-faithful CP (cp_paper): "binary" (the random 50/50 mode draw of cp with scaled equal '
        'power, docs/deviations.md S1-O5, S1-A7) or "relaxed" (a random feasible point of the relaxed problem: '
        "fractional modes a_m ~ U(0, 1), nominal powers on the paper's budgets (21d)/(21e), communication scaled to "
        "meet Eve <= nu and MASR >= kappa, then the phase-1 LP; docs/deviations.md S1-O30)."))] = "binary"

    @classmethod
    def spec_schedule(cls, **kw) -> SolverOptions:
        """The literal schedule (lambda_0 = 0.1 t0, the penalty phase ends only when converged, cap relative to
        the start's t0); docs/deviations.md S1-O2."""
        return cls(**{"lambda0_factor": 0.1, "stop_when_binary": False, "lambda_cap_running": False, "rate_tol": 0.0,
                      "sp_stall_window": 0, **kw})


# Fields each scheme's optimiser can read (the pipeline hands a design job only these, so changing a key reruns
# only the schemes that use it). The SP schemes (sp, sp_early, sp_paper) seed their start with a CP design when no
# random draw meets SP's constraints (docs/model.md, feasible start), so they read every CP key as well; the
# baseline only draws modes and checks them; early_abs_tol is read by sp_early alone and verbose by the paper SCA
# alone. tests/cfmmimo/test_options_scope.py records the fields every scheme reads and checks they are listed here.
_ALL_FIELDS = tuple(SolverOptions.__dataclass_fields__)
_SP_ONLY = ("sp_stall_window", "lambda_cap_sp")
_CP_PAPER_ONLY = ("paper_start",)  # the SP schemes' CP fallback is cp, never cp_paper
_SHARED = tuple(f for f in _ALL_FIELDS if f not in _CP_PAPER_ONLY)
# sensing_design is read by the corrected-surrogate schemes only (the paper SCA keeps the paper's model)
FIELDS_READ = {  # every scheme of schemes.SCHEMES (tests/cfmmimo/test_options_scope.py)
    "baseline": ("solver", "max_draws", "feas_tol"),  # solver: only recorded in the dataset (the solver of the run)
    "cp": tuple(f for f in _SHARED if f not in (*_SP_ONLY, "early_abs_tol", "verbose")),
    "cp_paper": tuple(f for f in _ALL_FIELDS if f not in (*_SP_ONLY, "early_abs_tol", "sensing_design")),
    "sp": tuple(f for f in _SHARED if f not in ("early_abs_tol", "verbose")),
    "sp_early": tuple(f for f in _SHARED if f != "verbose"),
    "sp_paper": tuple(f for f in _SHARED if f not in ("early_abs_tol", "sensing_design")),
}


def options_of_scheme(solver: dict, scheme: str) -> dict:
    """The entries of a solver-options mapping (SolverOptions keyword arguments) that `scheme` reads."""
    if scheme not in FIELDS_READ:
        raise ValueError(f"scheme: unknown scheme {scheme!r}; known: {tuple(FIELDS_READ)}")
    return {k: v for k, v in solver.items() if k in FIELDS_READ[scheme]}
