"""A session that outlives its tokens, with typed moderation: a token resolver (asked for a
token before every request the client makes), ``on_moderation``, and the typed error that
ends a session the platform ended (``ModerationError``, or ``SessionEndedError`` with the
platform's reason).

python examples/09_cloud_session.py --api-key KEY [--url API]   # the cloud, short-lived tokens
python examples/09_cloud_session.py --local http://localhost:8080
"""

from __future__ import annotations

import asyncio
import hashlib

from _connect import model_options, parse, run
from reactor_models.feature_model import FeatureModel

import reactor_client


def token_resolver(api_key: str, url: str | None) -> tuple[reactor_client.JwtResolver, list[str]]:
    """A resolver minting a token per call (this process holds the API key: server side).
    In a browser or device app it would call your token route instead (token_server.py of
    a scaffolded project). The client calls it before every request, so tokens that expire
    mid-session never fail a later upload, clip download or reconnect."""
    minted: list[str] = []

    async def resolve() -> str:
        token = await reactor_client.afetch_jwt(
            api_key, url or reactor_client.DEFAULT_API_URL, expires_after=60
        )
        minted.append(token)
        return token

    return resolve, minted


async def main() -> None:
    args = parse(__doc__ or "", seconds=4.0)
    options = model_options(args)
    minted: list[str] = []
    if "api_key" in options:  # the cloud: a resolver instead of the key itself
        options["jwt"], minted = token_resolver(options.pop("api_key"), options.get("url"))
    model = FeatureModel(**options)

    def flagged(event: reactor_client.ModerationEvent) -> None:
        what = f" {event.command}" if event.command else ""
        print(f"moderation: {event.action}{what} {list(event.categories)} {event.message!r}")

    model.on_moderation(flagged)
    await model.connect()
    try:
        # `note` is a moderated argument (x-reactor-moderate): the platform checks it
        configured = await model.configure(label="cloud session", note="a calm lake at dawn")
        print(f"configured: revision {configured.revision if configured else '?'}")
        await asyncio.sleep(2)  # long enough for short-lived tokens to expire meanwhile
        data = b"uploaded after the first tokens expired"
        info = await model.inspect_file(file=data, note="example 09")
        ok = info is not None and info.sha256 == hashlib.sha256(data).hexdigest()
        print("upload: sha256 matches" if ok else "upload: sha256 MISMATCH")
        print("streaming", flush=True)
        frames = 0

        async def stream() -> None:
            nonlocal frames
            async for _ in model.main_video.frames():
                frames += 1

        try:
            await asyncio.wait_for(stream(), args.seconds)
        except asyncio.TimeoutError:
            pass  # streamed for --seconds
        except reactor_client.ModerationError as exc:
            print(f"session ended by moderation: categories={list(exc.categories)} ({exc.reason})")
        except reactor_client.SessionEndedError as exc:
            print(f"session ended by the platform: {exc.reason}")
        print(f"frames streamed: {frames > 0}")
    finally:
        await model.disconnect()
    if minted:
        print(f"tokens resolved: {len(minted)} (one per request)")


if __name__ == "__main__":
    raise SystemExit(run(main))
