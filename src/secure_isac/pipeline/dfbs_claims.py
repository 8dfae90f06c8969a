"""Study-2 claims table (secure_isac.dfbs.claims) computed from the contract datasets."""

from __future__ import annotations

import logging
from pathlib import Path

from .. import provenance
from ..dfbs import claims

log = logging.getLogger(__name__)


def write_claims(fig2_file, fig3_file, fig4_file, out_csv) -> None:
    """The study-2 claims table (secure_isac.dfbs.claims.claims_table) from fig2/3/4.nc as CSV."""
    ds2, ds3, ds4 = provenance.open_intermediates([fig2_file, fig3_file, fig4_file])
    table = claims.claims_table(ds2, ds3, ds4)
    Path(out_csv).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_csv, index=False, float_format="%.4g")
    log.info("claims:\n%s", table.to_string(index=False))
