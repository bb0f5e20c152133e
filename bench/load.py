"""A small load tool, run as a process of its own: keeps CONCURRENCY connections busy
asking for one page for SECONDS, and prints how many answers a second came back.

    python bench/load.py http://127.0.0.1:8765/caseload/ COOKIE [--seconds 10] [--concurrency 8]
"""

import argparse
import http.client
import threading
import time
from urllib.parse import urlsplit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("cookie")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    parts = urlsplit(args.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    stop_at = time.perf_counter() + args.seconds
    done, failed = [0] * args.concurrency, [0] * args.concurrency

    def worker(n: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.perf_counter() < stop_at:
            connection.request("GET", path, headers={"Cookie": args.cookie})
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                done[n] += 1
            else:
                failed[n] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(f"{sum(done) / elapsed:.1f} {sum(done)} {sum(failed)} {elapsed:.2f}")


if __name__ == "__main__":
    main()
