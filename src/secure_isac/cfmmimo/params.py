"""System parameters of the cell-free massive MIMO ISAC study (paper section IV; reference values of Ngo et al.
2017)."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import AfterValidator, AllowInfNan, Strict
from pydantic.dataclasses import dataclass

from ..fields import NUM, PARAMS_CONFIG, Annotated, Bool, Field, Float, Int, validated

BOLTZMANN = 1.381e-23  # J/K, the value used by Ngo's code (-203.975 dBW/Hz at T0 = 290 K incl. rounding)
T0_KELVIN = 290.0
UE_SINR_FORMS = ("corrected", "printed")


InfOk = Annotated[float, AllowInfNan(True), NUM, Strict()]  # the two constraint levels may take their "off" value


KAPPA_DB_RANGE = (-100, 100)  # finite MASR thresholds kappa in dB (the workflow's Fig. 3 sweep as well)


def _kappa_db(value: float) -> float:
    # -inf (kappa = 0) switches the MASR constraint off (docs/ngo-special-case.md); otherwise finite
    lo, hi = KAPPA_DB_RANGE
    if value == -math.inf or (math.isfinite(value) and lo <= value <= hi):
        return value
    raise ValueError(f"must be a finite number in [{lo:g}, {hi:g}] dB or -inf (MASR constraint off), got {value!r}")


@validated
@dataclass(frozen=True, config=PARAMS_CONFIG)
class SystemParams:
    """Scenario of study 1: values fixed by the paper's section IV, the rest after Ngo et al. (2017).

    Every field is validated on construction (pydantic: type, bounds, finiteness); cross-field rules (d0_m < d1_m,
    the pilot length below tau) in `__post_init__`. `docs/model.md` lists where each quantity enters the model.

    Raises
    ------
    secure_isac.fields.ParamError
        A ValueError with one "field: message" line per invalid field.
    """

    M: Annotated[Int, Field(ge=2, le=4096, description="Number of access points.")] = 32
    N: Annotated[Int, Field(ge=1, le=256, description="Antennas per AP (half-wavelength ULA along x).")] = 8
    K: Annotated[Int, Field(ge=1, le=512, description=(
        "Number of single-antenna UEs (not stated in the paper; choice documented in docs/deviations.md)."))] = 4
    L: Annotated[Int, Field(ge=1, le=64, description="Number of sensing zones (= potential eavesdroppers).")] = 2
    side_m: Annotated[Float, Field(ge=1.0, le=1e5, description="Side D of the square (wrapped) area in m.")] = 500.0
    tau: Annotated[Int, Field(ge=2, le=1_000_000, description=(
        "Coherence length in symbols (must exceed the pilot length: tau_p, K + L by default)."))] = 200
    rho_w: Annotated[Float, Field(gt=0, le=1000, description="Downlink power per AP in W.")] = 1.0
    rho_t_w: Annotated[Float, Field(gt=0, le=1000, description="Pilot power in W.")] = 0.25
    nu: Annotated[InfOk, Field(gt=0, description=(
        "Maximum eavesdropper SINR of CP, linear; .inf switches the eavesdropper constraint off."))] = 0.5
    varsigma_db: Annotated[Float, Field(ge=-60, le=80, description="Minimum UE SINR of SP in dB.")] = 4.0
    kappa_db: Annotated[InfOk, Field(le=KAPPA_DB_RANGE[1], description=(
        "Default minimum MASR in dB (Figs. 2 and 4; the Fig. 3 sweep overrides it), in [-100, 100]; -.inf switches "
        "the MASR constraint off.")), AfterValidator(_kappa_db)] = 2.0
    carrier_mhz: Annotated[Float, Field(ge=100, le=1e5, description=(
        "Carrier frequency in MHz (Hata constant)."))] = 1900.0
    bandwidth_hz: Annotated[Float, Field(ge=1e3, le=1e11, description="Bandwidth in Hz (noise power).")] = 20e6
    noise_figure_db: Annotated[Float, Field(ge=0, le=40, description="Receiver noise figure in dB.")] = 9.0
    h_ap_m: Annotated[Float, Field(gt=0, le=1000, description="AP antenna height in m (Hata constant only).")] = 15.0
    h_ue_m: Annotated[Float, Field(gt=0, le=100, description="UE antenna height in m (Hata constant only).")] = 1.65
    d0_m: Annotated[Float, Field(gt=0, le=1e5, description=(
        "First breakpoint of the three-slope path loss in m."))] = 10.0
    d1_m: Annotated[Float, Field(gt=0, le=1e5, description=(
        "Second breakpoint in m (shadowing applied beyond it)."))] = 50.0
    shadowing_std_db: Annotated[Float, Field(ge=0, le=30, description=(
        "Shadowing standard deviation in dB (i.i.d. per AP-UE pair)."))] = 8.0
    ue_sinr_form: Annotated[Literal["corrected", "printed"], Field(description=(
        'UE SINR closed form, "corrected" (interference term with beta_mk, see docs/deviations.md) or "printed" '
        "(eq. (9) as printed, optional variant)."))] = "corrected"
    prelog: Annotated[Bool, Field(description=(
        "Multiply every rate by the pre-log 1 - tau_t/tau (optional variant)."))] = False
    # model switches for choices the paper leaves open (docs/deviations.md S1-P8 to S1-P10, S1-P17 to S1-P20);
    # defaults = the choices of the reproduction
    nu_unit: Annotated[Literal["linear", "db"], Field(description=(
        'Unit of nu: "linear" (0.5 read as a linear SINR, the default) or "db" (0.5 dB, i.e. 1.122 linear; '
        "docs/deviations.md S1-P17)."))] = "linear"
    zeta_model: Annotated[Literal["path_loss", "shadowed", "two_way"], Field(description=(
        'Sensing gain zeta_ml: "path_loss" (three-slope path loss to the zone centre, no shadowing: the default), '
        '"shadowed" (the same shadowing model as the UE links, beyond d1) or "two_way" (round-trip radar path loss, '
        "zeta = PL(d)^2); docs/deviations.md S1-P8, S1-P18."))] = "path_loss"
    shadowing_model: Annotated[Literal["iid", "correlated"], Field(description=(
        'Shadowing of the AP-UE (and shadowed AP-zone) links: "iid" per pair (the default) or "correlated", the '
        "two-component model of Ngo et al. 2017 (AP and UE components, each weight 1/sqrt(2), correlation "
        "2^(-d/decorrelation_m)); docs/deviations.md S1-P10, S1-P19."))] = "iid"
    decorrelation_m: Annotated[Float, Field(gt=0, le=1e5, description=(
        'Decorrelation distance of the "correlated" shadowing model in m (Ngo et al. 2017: 100 m).'))] = 100.0
    sensing_combining: Annotated[Literal["noncoherent", "coherent"], Field(description=(
        'How the sensing beams of different APs add at a zone when a design is evaluated: "noncoherent" (random '
        "per-AP phase, under which (12) and (17) hold: the default) or \"coherent\" (deterministic LoS phases, one "
        "common sensing symbol per zone: amplitudes add before squaring). Designs always optimise (12)/(17) as the "
        "paper does; this key changes the reported Eve SINR, MASR, rates and the feasibility re-check "
        "(docs/deviations.md S1-P21)."))] = "noncoherent"
    # pilot contamination (extension, not in the paper; docs/extensions/pilot-contamination.md, deviations S1-P30 to
    # S1-P33)
    tau_p: Annotated[Int | None, Field(ge=1, le=1_000_000, description=(
        "Pilot length tau_p in symbols (null = K + L, the paper's tau_t, with orthogonal pilots). Below K the UEs "
        "reuse pilots (pilot contamination), assigned by pilot_assignment; sets the pilot energy tau_p rho_t and "
        "the pre-log; must be below tau (docs/extensions/pilot-contamination.md)."))] = None
    pilot_assignment: Annotated[Literal["orthogonal", "random", "greedy"], Field(description=(
        'Which UEs share a pilot: "orthogonal" (every UE its own pilot; needs tau_p >= K: the default), '
        '"random" (a uniformly random balanced assignment from its own random stream, seeds "pilots") or "greedy" '
        "(Algorithm 4.1 of Demir, Bjornson and Sanguinetti's cell-free book: the first tau_p UEs get orthogonal "
        "pilots, each further UE the pilot with the least received gain at its strongest AP). random and greedy "
        "give orthogonal pilots whenever tau_p >= K (docs/deviations.md S1-P30 to S1-P33)."))] = "orthogonal"
    wrap_around: Annotated[Bool, Field(description=(
        "Distances and angles on the wrapped square (torus, the default, as Ngo's code) or on the plain square "
        "(docs/deviations.md S1-P9, S1-P20)."))] = True
    # eavesdroppers off the zone centre and colluding eavesdroppers: an extension, not in the paper
    # (docs/extensions/eavesdroppers.md, docs/deviations.md S1-P22 to S1-P27); defaults = the paper's model
    eve_position: Annotated[Literal["centre", "offset", "disc"], Field(description=(
        'Where eavesdropper l is (extension, not in the paper): "centre" of sensing zone l (the paper\'s model, the '
        'default), "offset" (eve_offset_m from the centre in direction eve_offset_deg, every zone alike) or "disc" '
        "(uniform in the disc or annulus eve_inner_radius_m <= r <= eve_radius_m around the centre, one draw per "
        "layout from its own random stream). Off the centre an eavesdropper has its own path gain and angles; the "
        "sensing beams stay aimed at the zone centres (docs/deviations.md S1-P22 to S1-P24)."))] = "centre"
    eve_offset_m: Annotated[Float, Field(ge=0, le=1e4, description=(
        'Distance of every eavesdropper from its zone centre in m (eve_position = "offset").'))] = 0.0
    eve_offset_deg: Annotated[Float, Field(ge=-360, le=360, description=(
        'Direction of the offset in degrees, counter-clockwise from the x axis (eve_position = "offset").'))] = 0.0
    eve_radius_m: Annotated[Float, Field(ge=0, le=1e4, description=(
        'Outer radius in m of the disc (annulus) of eavesdropper positions (eve_position = "disc"); also the '
        "region the robust design guards. 0 = the zone centre (the paper's model)."))] = 0.0
    eve_inner_radius_m: Annotated[Float, Field(ge=0, le=1e4, description=(
        'Inner radius in m of the annulus (eve_position = "disc"; 0 = a full disc).'))] = 0.0
    eve_design: Annotated[Literal["centre", "known", "robust", "robust_bound"], Field(description=(
        'Eavesdropper positions the designs guard (Eve SINR <= nu for CP, minimised by SP): "centre" (the zone '
        'centres, the paper\'s model: the default), "known" (each eavesdropper\'s actual position), "robust" '
        "(every point of a grid over the disc of eve_position = \"disc\": eve_grid_rings rings of "
        'eve_grid_points points) or "robust_bound" (the same grid points as centres of disc cells that cover the '
        "disc, each with an upper bound of the Eve SINR over the cell: guaranteed everywhere in the disc; under "
        'sensing_combining = "coherent" its designs are re-checked at the grid points); '
        "docs/deviations.md S1-P25. The paper's SCA (cp_paper, sp_paper) takes centre and known only."))] = "centre"
    eve_grid_rings: Annotated[Int, Field(ge=1, le=64, description=(
        'Rings of the robust grid between eve_radius_m and the centre (or the inner radius) (eve_design = '
        '"robust").'))] = 3
    eve_grid_points: Annotated[Int, Field(ge=3, le=256, description=(
        'Points per ring of the robust grid (eve_design = "robust").'))] = 12
    eve_collusion: Annotated[Bool, Field(description=(
        "The eavesdroppers of all zones combine their observations by maximum-ratio combining: the Eve SINR of the "
        "constraint (CP), the objective (SP) and of the secrecy rate is the sum of their SINRs (docs/deviations.md "
        "S1-P26; non-coherent sensing combining only)."))] = False
    eve_eval_samples: Annotated[Int, Field(ge=0, le=100_000, description=(
        'Unseen eavesdropper positions per layout, uniform in the disc (eve_position = "disc", own random stream), '
        "on which every design is evaluated (violation rate, secrecy; docs/deviations.md S1-P27); 0 = none."))] = 200
    # user-centric serving clusters (not in the paper; docs/extensions/city-scale.md); null = every AP serves every
    # UE, the paper's model
    cluster_size: Annotated[Int | None, Field(ge=1, le=4096, description=(
        "User-centric clustering (not in the paper): each UE is served only by its cluster_size strongest APs "
        "(largest beta_mk; ties go to the lower AP index), s_mk = 0 outside the cluster; AP modes as before. "
        "null (or M) = every AP serves every UE, the paper's model. Supported by the schemes cp, sp, sp_early and "
        "baseline (docs/extensions/city-scale.md)."))] = None

    def __post_init__(self) -> None:
        if self.d0_m >= self.d1_m:
            raise ValueError(f"d0_m: breakpoint d0 = {self.d0_m} m must be < d1_m = {self.d1_m} m")
        if self.cluster_size is not None and self.cluster_size > self.M:
            raise ValueError(f"cluster_size: {self.cluster_size} serving APs per UE exceed the M = {self.M} APs "
                             "(null = every AP)")
        if self.tau_p is None and self.tau <= self.K + self.L:
            raise ValueError(f"tau: coherence length {self.tau} must exceed the pilot length "
                             f"tau_t = K + L = {self.K + self.L}")
        if self.tau_p is not None and self.tau_p >= self.tau:
            raise ValueError(f"tau_p: pilot length {self.tau_p} must be below the coherence length tau = {self.tau}")
        if self.pilot_assignment == "orthogonal" and self.tau_t < self.K:
            raise ValueError(f"pilot_assignment: 'orthogonal' needs tau_p >= K = {self.K} pilots, got tau_p = "
                             f"{self.tau_t}; pilot reuse needs pilot_assignment 'random' or 'greedy'")
        self._check_eavesdroppers()
        if self.clustered and self.pilot_reuse:  # the sparse SCA has no contamination rows (docs/deviations.md S1-O27)
            raise ValueError(f"cluster_size, tau_p: user-centric clusters (cluster_size = {self.cluster_size} < M = "
                             f"{self.M}) cannot be combined with pilot reuse (tau_p = {self.tau_t} < K = {self.K}); "
                             "set one of them to null")
        if self.clustered and self.eve_enabled:  # the sparse SCA has the paper's Eve rows only (deviations S1-O27)
            raise ValueError(f"cluster_size, eve_position, eve_collusion: user-centric clusters (cluster_size = "
                             f"{self.cluster_size} < M = {self.M}) support only the paper's eavesdropper model "
                             f"(eve_position 'centre', eve_collusion false), got eve_position = "
                             f"{self.eve_position!r}, eve_collusion = {self.eve_collusion}; set cluster_size to null "
                             "or the eavesdropper keys to their defaults")

    def _check_eavesdroppers(self) -> None:
        # a radius or offset set under a position model that ignores it would silently give the paper's model
        if self.eve_position != "offset" and (self.eve_offset_m != 0.0 or self.eve_offset_deg != 0.0):
            raise ValueError(f'eve_offset_m: an offset needs eve_position = "offset", got {self.eve_position!r}')
        if self.eve_position != "disc" and (self.eve_radius_m != 0.0 or self.eve_inner_radius_m != 0.0):
            raise ValueError(f'eve_radius_m: a radius needs eve_position = "disc", got {self.eve_position!r}')
        if self.eve_inner_radius_m > self.eve_radius_m:
            raise ValueError(f"eve_inner_radius_m: {self.eve_inner_radius_m} m exceeds eve_radius_m = "
                             f"{self.eve_radius_m} m")
        reach = max(self.eve_offset_m, self.eve_radius_m)
        if reach >= self.side_m / 2.0:
            key = "eve_offset_m" if self.eve_position == "offset" else "eve_radius_m"
            raise ValueError(f"{key}: {reach} m must be below half the side, {self.side_m / 2.0} m")
        if self.eve_design in ("robust", "robust_bound") and self.eve_position != "disc":
            raise ValueError(f"eve_design: {self.eve_design!r} guards a grid over the disc of eve_position = "
                             f'"disc", got eve_position = {self.eve_position!r}')
        if self.eve_collusion and self.sensing_combining != "noncoherent":
            raise ValueError('eve_collusion: the colluding (maximum-ratio combined) Eve SINR is the sum of the '
                             'eavesdroppers\' SINRs only under sensing_combining = "noncoherent"')

    @property
    def eve_enabled(self) -> bool:
        """True iff the eavesdropper model differs from the paper's (an eavesdropper off its zone centre, or
        colluding eavesdroppers): docs/extensions/eavesdroppers.md."""
        return self.eve_position != "centre" or self.eve_collusion

    @property
    def eve_multi_row(self) -> bool:
        """True iff the designs guard more than one position per eavesdropper (a robust grid over a disc of positive
        radius) or colluding eavesdroppers: the SCA subproblems then have other Eve rows than the paper's."""
        return self.eve_collusion or (self.eve_design in ("robust", "robust_bound") and self.eve_radius_m > 0.0)

    @property
    def clustered(self) -> bool:
        """True iff the UEs are served by user-centric clusters smaller than the network (cluster_size < M)."""
        return self.cluster_size is not None and self.cluster_size < self.M

    @property
    def tau_t(self) -> int:
        """Pilot length: tau_p if set, else tau_t = K + L (paper section IV)."""
        return self.K + self.L if self.tau_p is None else self.tau_p

    @property
    def pilot_reuse(self) -> bool:
        """True iff some UEs share a pilot (tau_t < K; random and greedy assignments are orthogonal otherwise)."""
        return self.tau_t < self.K

    @property
    def noise_power_w(self) -> float:
        """Noise power k_B T0 B NF in W (docs/deviations.md S1-P7: 6.362e-13 W)."""
        return BOLTZMANN * T0_KELVIN * self.bandwidth_hz * 10.0 ** (self.noise_figure_db / 10.0)

    @property
    def rho_norm(self) -> float:
        """Noise-normalised downlink power per AP, rho / sigma^2."""
        return self.rho_w / self.noise_power_w

    @property
    def rho_t_norm(self) -> float:
        """Noise-normalised pilot power, rho_t / sigma^2."""
        return self.rho_t_w / self.noise_power_w

    @property
    def varsigma(self) -> float:
        """Minimum UE SINR of SP, linear (paper: 4 dB)."""
        return 10.0 ** (self.varsigma_db / 10.0)

    @property
    def kappa(self) -> float:
        """Minimum MASR, linear (paper: 2 dB); 0.0 for kappa_db = -inf (MASR constraint off)."""
        return 10.0 ** (self.kappa_db / 10.0)

    @property
    def nu_lin(self) -> float:
        """Maximum Eve SINR of CP, linear: nu, or 10^(nu/10) with nu_unit = "db" (inf stays inf)."""
        return 10.0 ** (self.nu / 10.0) if self.nu_unit == "db" else self.nu

    @property
    def eve_constraint(self) -> bool:
        """False iff nu = +inf: the Eve-SINR constraint of CP is switched off."""
        return not math.isinf(self.nu)

    @property
    def masr_constraint(self) -> bool:
        """False iff kappa_db = -inf (kappa = 0): the MASR constraint is switched off."""
        return not math.isinf(self.kappa_db)

    @property
    def prelog_factor(self) -> float:
        """Rate pre-log 1 - tau_t/tau if the optional pre-log variant is on, else 1 (docs/deviations.md S1-P12)."""
        return 1.0 - self.tau_t / self.tau if self.prelog else 1.0


def paper_sca_refusal(params: SystemParams) -> str | None:
    """Why the paper's SCA (cp_paper, sp_paper) cannot pose params' Eve constraint, naming the key, or None: its
    rows (28), (36) take one position per eavesdropper (eve_design "centre" or "known"), not a robust grid or
    colluding eavesdroppers (docs/deviations.md S1-P25, S1-P26; the schemes cp and sp take both)."""
    if params.eve_collusion:
        return "eve_collusion = true (the paper's SCA has no colluding-eavesdropper constraint)"
    if params.eve_multi_row:
        return f"eve_design = {params.eve_design!r} (the paper's SCA guards one position per eavesdropper)"
    return None
