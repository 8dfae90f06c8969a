"""`python -m secure_isac.pipeline.settings`: rewrite the files generated from the configuration classes."""

from .generated import main

main()
