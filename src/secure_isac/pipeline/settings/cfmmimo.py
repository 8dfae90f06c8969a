"""Study 1's configuration section (cfmmimo): its system and solver (the library's classes), its figures and sweeps."""

from __future__ import annotations

from typing import Literal

from ...cfmmimo.options import FIELDS_READ, SolverOptions
from ...cfmmimo.params import KAPPA_DB_RANGE, SystemParams
from ...cfmmimo.schemes import SCHEMES, TRACED
from ...fields import Annotated, Field, Float, Int
from .sections import ITEMS, UNIQUE, Section, SweepValue, needs

CfScheme = Literal[SCHEMES]
CfTraced = Literal[TRACED]
Kappa = Annotated[Float, Field(ge=KAPPA_DB_RANGE[0], le=KAPPA_DB_RANGE[1])]


class CfFig2(Section):
    """Fig. 2, SCA convergence on one layout at the default kappa."""

    layout: Annotated[Int, Field(ge=0, le=10_000_000, description=(
        "Index of the layout shown (also the layout map)."))] = 0
    schemes: Annotated[list[CfTraced], Field(description=(
        "Schemes traced; cp and sp are drawn, sp_early marks the early-stop point."), **ITEMS), UNIQUE,
        needs("cp", "sp")] = ["cp", "sp", "sp_early"]


class CfFig3(Section):
    """Fig. 3, per-UE average secrecy rate vs kappa on the first n_layouts layouts (same layouts at every kappa)."""

    n_layouts: Annotated[Int, Field(ge=1, le=100_000_000, description="Number of layouts per kappa point.")] = 50
    kappa_db: Annotated[list[Kappa], Field(description="Sweep of the MASR threshold kappa in dB (finite values).",
                                           **ITEMS), UNIQUE] = [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0,
                                                                18.0, 20.0]
    schemes: Annotated[list[CfScheme], Field(description=(
        "Schemes shown (cp and sp required by the claims)."), **ITEMS), UNIQUE,
        needs("cp", "sp")] = ["cp", "sp", "baseline"]


class CfFig4(Section):
    """Fig. 4, CDF over layouts of the per-UE average secrecy rate at the default kappa."""

    n_layouts: Annotated[Int, Field(ge=1, le=100_000_000, description="Number of layouts.")] = 200
    schemes: Annotated[list[CfScheme], Field(description=(
        "Schemes shown (cp, sp and baseline required by the claims)."), **ITEMS), UNIQUE,
        needs("cp", "sp", "baseline")] = ["cp", "sp", "baseline", "sp_early", "cp_paper", "sp_paper"]



class CfSweep(Section):
    """A sweep of study 1 over one key of cfmmimo.system: every value is a full set of designs on its own layouts
    (the same layout streams at every value), written as results/cfmmimo/sweeps/<key>/<label>.nc (the Fig. 4
    variables of that value) and summarised in results/cfmmimo/sweeps/<key>.nc and figures/cfmmimo/sweep_<key>."""

    values: Annotated[list[SweepValue], Field(description="Values of the swept key (each valid for the key).",
                                              **ITEMS)]  # each value once: checked in the key's type
    n_layouts: Annotated[Int, Field(ge=1, le=100_000_000, description="Layouts per value.")] = 50
    schemes: Annotated[list[CfScheme], Field(description="Schemes designed at every value.", **ITEMS),
                       UNIQUE] = ["cp", "sp", "baseline"]




def _default_cf_sweeps() -> dict:
    return {"K": CfSweep(values=[2, 4, 6, 8]), "M": CfSweep(values=[16, 32, 64])}



class Cfmmimo(Section):
    """Study 1, secure cell-free massive MIMO ISAC (arXiv:2603.18635)."""

    system: Annotated[SystemParams, Field(default_factory=SystemParams, description=(
        "System parameters (secure_isac.cfmmimo.SystemParams); kappa_db is the default point."))]
    solver: Annotated[SolverOptions, Field(default_factory=SolverOptions, description=(
        "Options of the penalty-SCA optimisers (secure_isac.cfmmimo.SolverOptions)."))]
    batch_size: Annotated[Int, Field(ge=1, le=100_000, description=(
        "Layouts per optimisation job. Batch b holds layouts b*batch_size .. (b+1)*batch_size - 1; a figure using n "
        "layouts uses the first ceil(n / batch_size) batches (extra layouts of the last batch are computed but not "
        "shown). The designs do not depend on it (every layout has its own random streams); changing it reruns "
        "every design job."))] = 50
    fig2: Annotated[CfFig2, Field(default_factory=CfFig2, description=CfFig2.__doc__)]
    fig3: Annotated[CfFig3, Field(default_factory=CfFig3, description=CfFig3.__doc__)]
    fig4: Annotated[CfFig4, Field(default_factory=CfFig4, description=CfFig4.__doc__)]
    sweeps: Annotated[dict[str, CfSweep | None], Field(default_factory=_default_cf_sweeps, json_schema_extra={
        "default": {k: v.model_dump() for k, v in _default_cf_sweeps().items()}}, description=(
        "Sweeps by `snakemake sweeps`: {key of cfmmimo.system: {values, n_layouts, schemes}}; an overlay drops a "
        "sweep with `<key>: null`."))]


def solver_scopes() -> str:
    """Which study-1 schemes read each key of cfmmimo.solver (cfmmimo.options.FIELDS_READ), as Markdown: changing a
    key reruns exactly the designs of those schemes."""
    every = set(FIELDS_READ)
    groups: dict[frozenset, list[str]] = {}
    for key in SolverOptions.__pydantic_fields__:
        groups.setdefault(frozenset(s for s, keys in FIELDS_READ.items() if key in keys), []).append(key)

    def who(schemes: frozenset) -> str:
        if schemes == every:
            return "every scheme, the baseline included"
        if schemes == every - {"baseline"}:
            return "every scheme but the baseline"
        if not schemes:
            return "no scheme"
        return "only " + ", ".join(f"`{s}`" for s in FIELDS_READ if s in schemes)

    lines = [f"- {', '.join(f'`{k}`' for k in keys)}: {who(schemes)}"
             for schemes, keys in sorted(groups.items(), key=lambda item: (-len(item[0]), item[1]))]
    return ("A key of `cfmmimo.solver` reruns the designs of the schemes that read it "
            "(`secure_isac.cfmmimo.options.FIELDS_READ`, each design job receives only those keys) and "
            "downstream:\n\n" + "\n".join(lines))
