"""Study 2: secure DFBS beamforming with antenna allocation (arXiv:2410.01603).

Modules: params (DfbsParams, power and R-bar validation), array (ULA steering, LoS channels, desired pattern,
beampatterns), metrics (matching error, SINRs, secrecy rate), sdr ((SDR P5) built once per shape), search
(1D search over Gamma_e with the A11 tie-break), p5 ((P3.1) for one geometry), fixed (fixed-selection design),
pscp (P-SCP outer loop), reconstruct (Proposition 1, EVD sensing beams), schemes (aa, no_aa, random_aa,
full_digital; reference_design, design), datasets (contract xarray), figures (Figs. 2-4), claims (claims table).
"""
