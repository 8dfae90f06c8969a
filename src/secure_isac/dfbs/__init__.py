"""Study 2: secure DFBS beamforming with antenna allocation (arXiv:2410.01603)."""
