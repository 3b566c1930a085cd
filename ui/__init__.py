"""The Gradio chat app (`crossrec ui`): components, the served page, its config."""

from importlib import import_module

# public name -> (module, attribute); imported on first use, so importing the package is cheap
_EXPORTS = {
    "register_commands": ("app_cli", "register"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    value = getattr(import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
