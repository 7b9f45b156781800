"""site-builder: a static site generator for essay archives kept as Markdown threads."""

__version__ = "0.1.0"
