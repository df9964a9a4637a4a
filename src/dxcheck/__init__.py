"""dxcheck: check a commune's spreadsheet exports against its digital-transformation plan.

    >>> import dxcheck
    >>> result = dxcheck.evaluate(["samples/binh-minh"], rules=["binh-minh-2030"], period="2026-10")
    >>> result.summary, result.exit_code()
    >>> print(result.to_json())
"""

__version__ = "0.1.0"
__all__ = ["evaluate", "load_packs", "__version__"]


def __getattr__(name: str):
    # Lazy: `import dxcheck` stays cheap (the CLI's --help does not import pandas).
    if name == "evaluate":
        from .api import evaluate

        return evaluate
    if name == "load_packs":
        from .packs.loader import load_packs

        return load_packs
    raise AttributeError(name)
