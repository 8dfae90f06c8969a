"""Study 2's texts in the Snakemake report (pipeline/studies/captions/__init__.py says how they are filled in)."""

SUMMARY = ("study 2 (``dfbs``), secure dual-function base station beamforming with antenna allocation "
           "(arXiv:2410.01603)")

CAPTIONS = {
    "fig2": """\
Study 2, Fig. 2: transmit beampatterns at P = ``{fig2[power_dbm]}`` dBm and secrecy target
``{fig2[secrecy_target]}`` bit/s/Hz, (a) with antenna allocation (AA), (b) without (the first N_RF contiguous
antennas): total a^H(W+R_s)a, sensing a^H R_s a and information a^H W a, in dB re 1 mW; vertical lines mark the
targets, the eavesdroppers and the user. Data: ``{data}/fig2.nc``.""",
    "fig3": """\
Study 2, Fig. 3: information-signal power a^H(theta_e) W a(theta_e) at the eavesdroppers versus the secrecy
target R-bar, one curve per total power P (AA solid, without AA dashed); only feasible designs are drawn (every R-bar
of the grid is computed, infeasible ones are kept in the data with feasible = 0). Data: ``{data}/fig3.nc``.""",
    "fig4": """\
Study 2, Fig. 4: minimum target illumination of the joint signal (I-P joint) and of the sensing signal alone
(I-P sensing), and the information power radiated towards the user (R-P), versus the total power P, with and without
antenna allocation, at secrecy target ``{fig4[secrecy_target]}`` bit/s/Hz. Data: ``{data}/fig4.nc``.""",
    "sweep": """\
Study 2, sweep of ``{key}``: matching error, information power at the eavesdroppers, minimum target
illumination (joint and sensing only) and feasibility against the swept value, one curve per scheme; infeasible
designs are not drawn. Data: ``{data}/sweeps/{key}.nc``.""",
    "claims": """\
Study 2 claims table: each qualitative claim of the paper (Figs. 2-4), what the paper states, the values
computed from ``{data}/fig{{2,3,4}}.nc`` and the verdict (reproduced / partly / not reproduced / not testable, with the
share of feasible designs), as computed by ``secure_isac/dfbs/claims.py``.""",
}
