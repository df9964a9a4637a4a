"""`dxcheck serve`: the checker as a local web page, for offices that never open a terminal.

`run()` starts it on 127.0.0.1 (a free port unless one is given) with a fresh token, prints the
address and opens it in the default browser. The page is built by `app.create_app`; what keeps
other sites and other machines out is in `security`.
"""

from __future__ import annotations

import atexit
import socket
import sys
import webbrowser
from pathlib import Path

from ..config import find_config
from ..messages import get_language, t
from .app import Settings, create_app
from .security import TOKEN_PARAM, new_token


def settings_for(folder: Path | None, token: str, port: int, lang: str | None = None) -> Settings:
    """What the page offers: the shipped plans (and the commune's own from dxcheck.toml), its month,
    its mapping file and name."""
    from ..packs.loader import load_packs, pack_files, resolve_rule_paths
    from ..scaffold import MAPPING_FILE

    base = (folder or Path.cwd()).resolve()
    config = find_config(base)
    chosen = []
    if config is not None and getattr(config, "packs", None):
        chosen = [str(path) for path in resolve_rule_paths(list(config.packs)) or []]
    packs: dict[str, tuple[str, Path]] = {}
    for path in [*map(Path, chosen), *pack_files(None)]:
        for loaded in load_packs([path]):
            if loaded.id not in packs:
                title = loaded.pack.title.get(get_language()) if hasattr(loaded.pack.title, "get") else loaded.id
                packs[loaded.id] = (f"{title} ({loaded.id})" if title else loaded.id, Path(loaded.path))
    default = next(iter(load_packs([Path(chosen[0])])), None).id if chosen else None
    mapping_path = base / MAPPING_FILE
    if config is not None and getattr(config, "mapping_file", None):
        mapping_path = Path(config.mapping_file)
    elif config is not None:
        mapping_path = Path(config.path).parent / MAPPING_FILE
    period = getattr(config, "period", None) if config is not None else None
    return Settings(
        token=token, port=port, lang=lang or getattr(config, "language", None) or get_language(),
        folder=folder.resolve() if folder else None, mapping_path=mapping_path,
        mapping=dict(getattr(config, "mapping", None) or {}), packs=packs, default_pack=default,
        period=_period_text(period), commune=getattr(config, "commune", None) if config else None,
        config_path=Path(config.path) if config is not None else None,
        heading=config.heading() if config is not None else {})


def _period_text(period) -> str:
    if period is None:
        return ""
    if isinstance(period, str):
        return period
    return str(getattr(period, "label", None) or period)


def run(folder: Path | None = None, *, port: int = 0, open_browser: bool = True, lang: str | None = None) -> None:
    import uvicorn

    # bound here, not by uvicorn, so that a free port (0) is known before the page's rules are set
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    port = listener.getsockname()[1]
    token = new_token()
    app = create_app(settings_for(folder, token, port, lang))
    atexit.register(app.app.state.dxcheck.cleanup)
    url = f"http://127.0.0.1:{port}/?{TOKEN_PARAM}={token}"
    print(t("serve.started", url=url), flush=True)
    print(t("serve.stop_hint"), flush=True)
    if open_browser:
        webbrowser.open(url)
    # no access log: it would print the token of every first request
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[listener])
    sys.stdout.flush()
