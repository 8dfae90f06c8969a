"""Study 1: secure cell-free massive MIMO ISAC, joint AP selection and power allocation (arXiv:2603.18635)."""
