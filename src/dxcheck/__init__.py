"""dxcheck: check a commune's spreadsheet exports against its digital-transformation plan."""

__version__ = "0.1.0"
