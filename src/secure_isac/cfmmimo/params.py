"""System parameters of the cell-free massive MIMO ISAC study (paper section V, reference values of Ngo et al. 2017)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

BOLTZMANN = 1.381e-23  # J/K, the value used by Ngo's code (-203.975 dBW/Hz at T0 = 290 K incl. rounding)
T0_KELVIN = 290.0
UE_SINR_FORMS = ("corrected", "printed")


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class SystemParams:
    """Scenario of the paper's section V; values not fixed by the paper follow Ngo et al. (2017) (spec section 3)."""

    M: int = 32
    N: int = 8
    K: int = 4
    L: int = 2
    side_m: float = 500.0
    tau: int = 200
    rho_w: float = 1.0
    rho_t_w: float = 0.25
    nu: float = 0.5
    varsigma_db: float = 4.0
    kappa_db: float = 2.0
    carrier_mhz: float = 1900.0
    bandwidth_hz: float = 20e6
    noise_figure_db: float = 9.0
    h_ap_m: float = 15.0
    h_ue_m: float = 1.65
    d0_m: float = 10.0
    d1_m: float = 50.0
    shadowing_std_db: float = 8.0
    ue_sinr_form: str = "corrected"
    prelog: bool = False

    def __post_init__(self) -> None:
        for name in ("M", "N", "K", "tau"):
            value = getattr(self, name)
            if not _is_int(value):
                raise ValueError(f"{name}: must be an integer, got {value!r}")
            if value < 1:
                raise ValueError(f"{name}: must be >= 1, got {value}")
        if not _is_int(self.L):
            raise ValueError(f"L: must be an integer, got {self.L!r}")
        if self.L < 1:
            raise ValueError(f"L: zone count {self.L} for a problem that needs sensing (need L >= 1)")
        finite = (
            "side_m", "rho_w", "rho_t_w", "nu", "varsigma_db", "kappa_db", "carrier_mhz", "bandwidth_hz",
            "noise_figure_db", "h_ap_m", "h_ue_m", "d0_m", "d1_m", "shadowing_std_db",
        )
        # the two constraint levels may take their "off" value: nu = +inf (no Eve constraint), kappa_db = -inf
        # (kappa = 0, no MASR constraint); every other float is finite-only
        off_value = {"nu": math.inf, "kappa_db": -math.inf}
        for name in finite:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.number):
                raise ValueError(f"{name}: must be a finite number, got {value!r}")
            if name in off_value and value == off_value[name]:
                continue
            if not math.isfinite(value):
                if name == "nu":
                    raise ValueError(f"nu: must be a finite number > 0 or +inf (Eve constraint off), got {value!r}")
                if name == "kappa_db":
                    raise ValueError(f"kappa_db: must be a finite number or -inf (MASR constraint off), got {value!r}")
                raise ValueError(f"{name}: must be a finite number, got {value!r}")
        for name in ("side_m", "rho_w", "rho_t_w", "nu", "carrier_mhz", "bandwidth_hz", "h_ap_m", "h_ue_m", "d0_m"):
            value = getattr(self, name)
            if value <= 0:
                raise ValueError(f"{name}: must be > 0, got {value}")
        if self.d0_m >= self.d1_m:
            raise ValueError(f"d0_m: breakpoint d0 = {self.d0_m} m must be < d1_m = {self.d1_m} m")
        if self.shadowing_std_db < 0:
            raise ValueError(f"shadowing_std_db: must be >= 0, got {self.shadowing_std_db}")
        if self.tau <= self.K + self.L:
            raise ValueError(f"tau: coherence length {self.tau} must exceed the pilot length tau_t = K + L = {self.K + self.L}")
        if self.ue_sinr_form not in UE_SINR_FORMS:
            raise ValueError(f"ue_sinr_form: must be one of {UE_SINR_FORMS}, got {self.ue_sinr_form!r}")
        if not isinstance(self.prelog, bool):
            raise ValueError(f"prelog: must be a bool, got {self.prelog!r}")

    @property
    def tau_t(self) -> int:
        """Pilot length tau_t = K + L (paper section V)."""
        return self.K + self.L

    @property
    def noise_power_w(self) -> float:
        """Noise power k_B T0 B NF in W (spec section 3: 6.362e-13 W)."""
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
    def eve_constraint(self) -> bool:
        """False iff nu = +inf: the Eve-SINR constraint of CP is switched off."""
        return not math.isinf(self.nu)

    @property
    def masr_constraint(self) -> bool:
        """False iff kappa_db = -inf (kappa = 0): the MASR constraint is switched off."""
        return not math.isinf(self.kappa_db)

    @property
    def prelog_factor(self) -> float:
        """Rate pre-log 1 - tau_t/tau if the optional pre-log variant is on, else 1 (spec section 11)."""
        return 1.0 - self.tau_t / self.tau if self.prelog else 1.0
