"""Decision support: questions users bring as cases, answered per council from the graph.

Everything here reads the graph through the query library or SPARQL (``kg.queries``), the one data
path the CLI and the app share; the CLI commands are thin layers over these functions. Every answer
compares councils' guidance and carries ``NOTICE``: it informs, it does not advise.
"""

from __future__ import annotations

NOTICE = "This compares councils' published guidance; it is not legal advice."

# After NOTICE, which the modules below carry.
from .can_apply import can_apply  # noqa: E402
from .compare import compare  # noqa: E402
from .options import options  # noqa: E402
from .routes import routes  # noqa: E402

__all__ = ["NOTICE", "can_apply", "compare", "options", "routes"]
