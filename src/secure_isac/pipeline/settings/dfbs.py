"""Study 2's configuration section (dfbs): its parameters (the library's class), its figures and sweeps."""

from __future__ import annotations

from typing import Literal

from ...dfbs.params import POWER_DBM_RANGE, SCHEMES, DfbsParams
from ...fields import Annotated, Field, Float
from .sections import ITEMS, UNIQUE, Section, SweepValue, needs

DfScheme = Literal[SCHEMES]
Power = Annotated[Float, Field(ge=POWER_DBM_RANGE[0], le=POWER_DBM_RANGE[1])]


class DfSweep(Section):
    """A sweep of study 2 over one scalar key of dfbs.params, or power_dbm / secrecy_target, at one (P, R-bar):
    results/dfbs/sweeps/<key>/<label>.nc per value (every design, arrays of any length), summarised in
    results/dfbs/sweeps/<key>.nc and figures/dfbs/sweep_<key>."""

    values: Annotated[list[SweepValue], Field(description="Values of the swept key (each valid for the key).",
                                              **ITEMS)]  # each value once: checked in the key's type
    power_dbm: Annotated[Power, Field(description="Total power P in dBm of every design (unless swept).")] = 20.0
    secrecy_target: Annotated[Float, Field(ge=0, le=100, description=(
        "Secrecy target R-bar in bit/s/Hz of every design (unless swept)."))] = 2.0
    schemes: Annotated[list[DfScheme], Field(description="Schemes designed at every value.", **ITEMS),
                       UNIQUE] = ["aa", "no_aa"]




def _default_df_sweeps() -> dict:
    return {"n_rf": DfSweep(values=[4, 6, 8, 10, 12])}



class DfFig2(Section):
    """Fig. 2, transmit beampatterns with and without antenna allocation at one P and one secrecy target."""

    power_dbm: Annotated[Power, Field(description="Total transmit power P in dBm.")] = 20.0
    secrecy_target: Annotated[Float, Field(ge=0, le=100, description="Secrecy-rate threshold R-bar in bit/s/Hz.")] = 2.0
    schemes: Annotated[list[DfScheme], Field(description="Schemes drawn (one panel each).", **ITEMS), UNIQUE,
                       needs("aa", "no_aa")] = ["aa", "no_aa"]


class DfFig3(Section):
    """Fig. 3, information-signal power at the eavesdroppers versus the secrecy target R-bar, one curve per P.
    R-bar runs from secrecy_start in steps of secrecy_step while below log2(1 + N_RF P / noise) and at most
    secrecy_max; every grid point is one design job, infeasible points are recorded with feasible = 0."""

    power_dbm: Annotated[list[Power], Field(description="Total powers P in dBm, one curve each.", **ITEMS),
                         UNIQUE] = [0.0, 5.0, 10.0]
    secrecy_start: Annotated[Float, Field(ge=0, le=100, description="First secrecy target in bit/s/Hz.")] = 0.5
    secrecy_step: Annotated[Float, Field(gt=0, le=100, description=(
        "Step of the secrecy target in bit/s/Hz (the grid size is bounded by limits.max_points)."))] = 0.5
    secrecy_max: Annotated[Float, Field(gt=0, le=100, description="Largest secrecy target tried in bit/s/Hz.")] = 10.0
    schemes: Annotated[list[DfScheme], Field(description=(
        "Schemes computed (aa solid, others dashed); the claims read aa only."), **ITEMS),
                       UNIQUE, needs("aa")] = ["aa", "no_aa"]


class DfFig4(Section):
    """Fig. 4, illumination and user powers versus the total power P at one secrecy target."""

    power_dbm: Annotated[list[Power], Field(description="Total powers P in dBm.", **ITEMS), UNIQUE] = [
        0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]
    secrecy_target: Annotated[Float, Field(ge=0, le=100, description="Secrecy-rate threshold R-bar in bit/s/Hz.")] = 2.0
    schemes: Annotated[list[DfScheme], Field(description="Schemes computed.", **ITEMS), UNIQUE,
                       needs("aa", "no_aa")] = ["aa", "no_aa"]


class Dfbs(Section):
    """Study 2, secure dual-function base station with antenna allocation (arXiv:2410.01603)."""

    params: Annotated[DfbsParams, Field(default_factory=DfbsParams, description=(
        "Scenario and algorithm parameters (secure_isac.dfbs.DfbsParams)."))]
    fig2: Annotated[DfFig2, Field(default_factory=DfFig2, description=DfFig2.__doc__)]
    fig3: Annotated[DfFig3, Field(default_factory=DfFig3, description=DfFig3.__doc__)]
    fig4: Annotated[DfFig4, Field(default_factory=DfFig4, description=DfFig4.__doc__)]
    sweeps: Annotated[dict[str, DfSweep | None], Field(default_factory=_default_df_sweeps, json_schema_extra={
        "default": {k: v.model_dump() for k, v in _default_df_sweeps().items()}}, description=(
        "Sweeps by `snakemake sweeps`: {key of dfbs.params, or power_dbm / secrecy_target: {values, power_dbm, "
        "secrecy_target, schemes}}; an overlay drops a sweep with `<key>: null`."))]


