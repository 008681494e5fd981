"""Use-cases too large for :mod:`qualseg.service`, which re-exports them: the CLI and the UI call
only ``qualseg.service``; these modules are its parts, one job each."""
