"""One module per page, each with a ``render()`` function over :mod:`qualseg.service`."""
