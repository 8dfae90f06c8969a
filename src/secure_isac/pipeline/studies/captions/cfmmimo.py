"""Study 1's texts in the Snakemake report (pipeline/studies/captions/__init__.py says how they are filled in)."""

SUMMARY = ("study 1 (``cfmmimo``), secure cell-free massive MIMO ISAC with joint AP selection and power allocation "
           "(arXiv:2603.18635)")

CAPTIONS = {
    "fig2": """\
Study 1, Fig. 2: convergence of the penalty-SCA on layout ``{fig2[layout]}`` at the default MASR threshold.
Left CP (communication-prioritised), right SP (security-prioritised): minimum UE rate, maximum eavesdropper rate and
per-UE average secrecy rate of every iterate (iterate 0 = feasible random start), computed from the closed forms at
the (possibly fractional) AP modes. The dashed vertical line marks where rounding and fixed-mode repair begin; dotted
horizontal lines are log2(1+nu) (CP) and log2(1+varsigma) (SP); the dash-dotted line in the SP panel marks where the
early-stopped SP ends. Data: ``{data}/fig2.nc``.""",
    "fig3": """\
Study 1, Fig. 3: per-UE average secrecy rate versus the MASR threshold kappa for CP, SP and the equal-power
baseline; mean over the first ``{fig3[n_layouts]}`` layouts (the same layouts at every kappa), over the feasible
designs (the baseline, which enforces no constraint: all designs), band = 95 % confidence interval of the mean. The
legend gives the share of feasible designs (range over the sweep); a cross at zero marks a kappa without any feasible
design. Data: ``{data}/fig3.nc``.""",
    "fig3_decomposition": """\
Study 1, Fig. 3 decomposed (no new designs, from ``{data}/fig3.nc``): (a) per-UE average secrecy
rate, (b) minimum UE rate and (c) max-zone eavesdropper rate (log scale) versus the MASR threshold kappa, means over
the feasible designs (the baseline: all) with 95 % confidence bands. Dashed: the co-location bound log2(1 + 1/kappa)
on the Eve rate of any design meeting MASR >= kappa (an eavesdropper at its zone's centre has SINR * MASR < 1,
docs/model.md S1-74, S1-75); dotted: CP's Eve constraint log2(1 + nu); dash-dotted: kappa = 1/nu, beyond which the
MASR constraint implies the Eve constraint.""",
    "fig4": """\
Study 1, Fig. 4: empirical CDF over ``{fig4[n_layouts]}`` layouts of the per-UE average secrecy rate at the
default MASR threshold, for CP, SP (converged and early-stopped), the baseline and the paper-faithful SCA variants,
over the feasible designs (the baseline: all). Legend: median and number of feasible designs of each scheme. Data:
``{data}/fig4.nc``.""",
    "layout_map": """\
Study 1, layout map of the Fig. 2 layout: communication APs (circles) and sensing APs (triangles) chosen
by CP (left) and SP (right), UEs (crosses) and sensing zones / eavesdroppers (open circles); marker size is the used
share of the AP's power budget. The area wraps around (torus distances). Data: ``{data}/fig2.nc``.""",
    "sweep": """\
Study 1, sweep of ``{key}``: per-UE average secrecy rate (mean with its 95 % confidence band, median dashed),
minimum UE rate, maximum Eve rate (means) and the share of feasible designs against the swept value, one curve per
scheme, over the feasible designs of the optimised schemes (the baseline: all). Data: ``{data}/sweeps/{key}.nc``.""",
    "eve_uncertainty": """\
Study 1 extension (not in the paper, docs/extensions/eavesdroppers.md): CP, SP and baseline against the radius of
the eavesdroppers' disc: per-UE average secrecy rate over unseen eavesdropper placements, feasible share, share of
unseen placements above each design's guarantee, minimum UE rate. Data: the eve_radius_m sweep summaries
(``{data}/sweeps/eve_radius_m.nc`` and the scenarios' own).""",
    "pilot_contamination": """\
Study 1 extension (not in the paper, docs/extensions/pilot-contamination.md): CP per-UE average secrecy rate (mean,
95 % CI band) and maximum Eve rate against the pilot length tau_p, one curve per pilot assignment; pilot lengths of
at least K are shaded. Data: the tau_p sweep summaries (``{data}/sweeps/tau_p.nc`` and the scenarios' own).""",
    "coherent_design": """\
Study 1 extension (not in the paper, docs/extensions/coherent-sensing.md): designs under coherent sensing combining:
secrecy over the coherently feasible designs, their share and the paired change of the designs optimised under the
coherent model against the (12)/(17) designs. Data: the two scenarios' Fig. 3 datasets.""",
    "claims": """\
Study 1 claims table: each claim of the paper, the paper's value, the value computed from ``{data}/fig3.nc``
/ ``{data}/fig4.nc`` and the verdict (reproduced / partly / not reproduced / not testable, with the share of feasible
designs it rests on) with the criterion; thresholds are defined in ``secure_isac/cfmmimo/claims.py``.""",
}
