"""The HTTP face of the crisis exercise (FastAPI): `csto serve`.

    app      create_app(world, store), app_from_env(): the application
    admin    scenarios, creating exercises, joining seats, reissuing links
    play     the commands, one route each
    read     views, events, the live stream, drafts, the after-action report
    auth     the seat behind a session cookie; the CSRF check on writes
    errors   csto's errors as 4xx with the same message the CLI prints
    limits   the limit on request bodies
    live     the per-worker hub of streams, PostgreSQL LISTEN, the loop's leader

Only the `serve` command imports this package.
"""

from csto.api.app import app_from_env, create_app

__all__ = ["app_from_env", "create_app"]
