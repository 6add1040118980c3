"""Log-in cost on the web page: does a password guess stall other people's
pages, and does an unknown user name answer faster than a known one?

Runs the real Datasette app in-process behind httpx's ASGI transport (one
event loop, as under uvicorn) and prints medians of several runs:

- a logged-in page request alone, and while three guessers post wrong
  passwords as fast as they are answered (each guess from a new address and
  user name, so that the log-in backoff does not stop them: this measures
  the event loop, not the backoff);
- a failed log-in for a known user name and for an unknown one.

    python bench/web_login.py [--runs 5] [--seconds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from listener.config import load_settings
from listener.web.app import build
from listener.web.auth import hash_password
from listener.web.settings import WebSettings
from tests.listener.query.builders import PASSWORD, build_db, write_config


def client(app: object, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 5000)),
                             base_url="http://localhost")


async def log_in(http: httpx.AsyncClient, user: str, password: str) -> httpx.Response:
    form = await http.get("/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token is not None
    return await http.post("/-/login", data={"username": user, "password": password,
                                             "csrftoken": token[1]})


async def page_times(app: object, seconds: float, guessers: int) -> list[float]:
    reader = client(app, "10.0.0.1")
    assert (await log_in(reader, "policy", PASSWORD)).status_code == 302
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    async def guess() -> None:
        while time.monotonic() < stop:
            n = next(counter)
            async with client(app, f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}") as http:
                await log_in(http, f"guess{n}", "wrong")

    tasks = [asyncio.create_task(guess()) for _ in range(guessers)]
    times = []
    while time.monotonic() < stop:
        start = time.perf_counter()
        answer = await reader.get("/-/logout")  # a light page that needs the log-in
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, answer.status_code
        await asyncio.sleep(0.05)
    await asyncio.gather(*tasks)
    await reader.aclose()
    return times


async def login_times(app: object, user: str, n: int) -> list[float]:
    times = []
    for k in range(n):
        async with client(app, f"10.9.{k // 256}.{k % 256}") as http:
            form = await http.get("/-/login")
            token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
            assert token is not None
            start = time.perf_counter()
            await http.post("/-/login", data={"username": user, "password": "wrong",
                                              "csrftoken": token[1]})
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = build_db(Path(tmp) / "posts.db")
        config = write_config(Path(tmp), db)
        if "login_free_attempts" in WebSettings.model_fields:
            config.write_text(config.read_text() + "  login_free_attempts: 100\n")
        os.environ["TEST_WEB_HASH"] = hash_password(PASSWORD)
        ds = build(load_settings(config, check_credentials=False))
        loop = asyncio.new_event_loop()
        loop.run_until_complete(ds.invoke_startup())
        app = ds.app()
        alone, busy, known, unknown = [], [], [], []
        for _ in range(args.runs):
            alone.append(statistics.median(loop.run_until_complete(
                page_times(app, args.seconds, 0))))
            busy.append(statistics.median(loop.run_until_complete(
                page_times(app, args.seconds, 3))))
            known.append(statistics.median(loop.run_until_complete(
                login_times(app, "policy", 5))))
            unknown.append(statistics.median(loop.run_until_complete(
                login_times(app, "nobody-here", 5))))
        loop.close()
    load = os.getloadavg()[0]
    print(f"{args.runs} runs; medians of per-run medians, milliseconds; load {load:.1f}")
    print(f"logged-in page, alone:                 {statistics.median(alone):8.1f}")
    print(f"logged-in page, three guessers:        {statistics.median(busy):8.1f}")
    print(f"failed log-in, known user name:        {statistics.median(known):8.1f}")
    print(f"failed log-in, unknown user name:      {statistics.median(unknown):8.1f}")


if __name__ == "__main__":
    main()
