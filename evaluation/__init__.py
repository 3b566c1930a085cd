"""The crossrec evaluation package."""

from crossrec.retrieval import lazy_exports

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "EvalConfig": ("harness", "EvalConfig"),
    "evaluate": ("run", "evaluate"),
    "register_commands": ("cli", "register"),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
