"""The Gradio chat app (`crossrec ui`): components, the served page, its config."""

from crossrec.retrieval import lazy_exports

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "register_commands": ("app_cli", "register"),
}
__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
