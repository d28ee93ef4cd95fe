#!/usr/bin/env python3
"""The hostile clients of bench/hostile_bench.sh (issue 16): Python 3's standard library only.

Each subcommand prints one JSON object on stdout; RSS is read from /proc/PID/status (VmRSS, the sum
over --pids) by this process while it attacks.

  checks    --port P [--n 100] [--interval S] [--timeout S]
            N health checks (GET /health/live, Connection: close), one after another, each on a
            fresh connection; latency from connect() to the last byte of the answer.
  idle      --port P --n N --pids PIDS [--checks 100] [--patient S]
            N keep-alive connections, each sends one complete GET /health/live, reads its answer
            and then stays silent; with all of them open, the checks run (a separate process).
            When some failed, one more check waits up to --patient seconds for its answer.
  slowloris --port P --n M --pids PIDS --deadline S [--checks 100] [--first-byte-after S]
            M connections, each sends a request line and headers a byte a second (never ending),
            the first byte at once or after --first-byte-after seconds of silence;
            records when and how each is closed; the checks run meanwhile, spread over the
            first part of the deadline.
  body      --port P --path PATH --bytes B --pids PIDS
            POST PATH with a chunked body of B bytes generated here (1 MiB chunks). The client
            keeps sending after an answer (an attacker ignoring it) until the server stops taking
            bytes or all B are sent; records the status, when it came and how many bytes had gone
            by then, and VmRSS every 10 ms.
"""

import argparse
import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def pct(sorted_values, p):
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


class Sampler:
    """VmRSS of the pids every `every` seconds on a thread, until stop()."""

    def __init__(self, pids, every):
        self.pids, self.every, self.samples = pids, every, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.monotonic()

    def _run(self):
        while not self._stop.is_set():
            self.samples.append((time.monotonic() - self._t0, rss_kib(self.pids)))
            self._stop.wait(self.every)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.samples.append((time.monotonic() - self._t0, rss_kib(self.pids)))
        return self.samples


# --- checks ---------------------------------------------------------------------------------------

def parse_head(data):
    """(status, content_length, header_end) of an HTTP answer's head in data, or None."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = data[:end].split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return status, length, end + 4


def one_check(port, timeout):
    """(latency_ms, status) or (None, 'timeout' | error name)."""
    start = time.perf_counter()
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.settimeout(max(0.001, timeout - (time.perf_counter() - start)))
            s.sendall(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Connection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                head = parse_head(data)
                if head and head[1] is not None and len(data) >= head[2] + head[1]:
                    break
                s.settimeout(max(0.001, timeout - (time.perf_counter() - start)))
            elapsed = (time.perf_counter() - start) * 1000
            head = parse_head(data)
            if head is None:
                return None, "closed without an answer"
            return elapsed, head[0]
    except socket.timeout:
        return None, "timeout"
    except OSError as e:
        return None, type(e).__name__


def run_checks(port, n, interval, timeout, give_up_after=3):
    results = []
    consecutive_timeouts = 0
    started = time.monotonic()
    for i in range(n):
        if interval > 0:
            # Spread on a fixed schedule, not after each answer.
            delay = started + i * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        latency, status = one_check(port, timeout)
        results.append((latency, status))
        consecutive_timeouts = consecutive_timeouts + 1 if status == "timeout" else 0
        if consecutive_timeouts >= give_up_after:
            break
    answered = sorted(l for l, s in results if l is not None)
    ok = sum(1 for l, s in results if s == 200)
    failures = {}
    for l, s in results:
        if s != 200:
            failures[str(s)] = failures.get(str(s), 0) + 1
    # A check without an answer counts as slower than any answered one in the percentiles.
    everything = answered + [math.inf] * (len(results) - len(answered))
    fin = lambda v: None if v is None or v == math.inf else round(v, 3)  # noqa: E731
    return {
        "planned": n, "run": len(results), "ok": ok, "failures": failures,
        "timeout_s": timeout, "gave_up": len(results) < n,
        "p50_ms": fin(pct(everything, 50)), "p99_ms": fin(pct(everything, 99)),
        "max_ms": fin(everything[-1] if everything else None),
        "p99_answered_ms": fin(pct(answered, 99)),
        "seconds": round(time.monotonic() - started, 3),
    }


async def checks_in_subprocess(port, n, interval, timeout):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, os.path.abspath(__file__), "checks", "--port", str(port), "--n", str(n),
        "--interval", str(interval), "--timeout", str(timeout), stdout=subprocess.PIPE)
    out, _ = await proc.communicate()
    return json.loads(out)


# --- idle keep-alive connections -------------------------------------------------------------------

async def read_answer(reader):
    data = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            raise ConnectionError("closed before the answer ended")
        data += chunk
        head = parse_head(data)
        if head and head[1] is not None and len(data) >= head[2] + head[1]:
            return head[0]


async def idle(args):
    pids = [int(p) for p in args.pids.split(",")]
    rss_before = rss_kib(pids)
    t0 = time.monotonic()
    opened, failed, closed = [], {}, []
    gate = asyncio.Semaphore(args.concurrency)
    done_opening = asyncio.Event()

    async def hold(i):
        async with gate:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, args.port), 30)
                writer.write(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                status = await asyncio.wait_for(read_answer(reader), 30)
                if status != 200:
                    raise ConnectionError(f"status {status}")
            except Exception as e:  # noqa: BLE001: every failure is counted by its kind
                name = type(e).__name__ if not isinstance(e, ConnectionError) else str(e)
                failed[name] = failed.get(name, 0) + 1
                return
        opened.append(writer)
        # Silent from here; the read returns only when the server closes.
        try:
            await reader.read(1)
        except Exception:  # noqa: BLE001
            pass
        closed.append(time.monotonic() - t0)

    tasks = [asyncio.create_task(hold(i)) for i in range(args.n)]
    while len(opened) + sum(failed.values()) < args.n:
        await asyncio.sleep(0.05)
    open_seconds = time.monotonic() - t0
    await asyncio.sleep(1)
    rss_open = rss_kib(pids)
    still_open_before = len(opened) - len(closed)
    checks = await checks_in_subprocess(args.port, args.checks, 0, args.timeout)
    patient = None
    if checks["ok"] < checks["run"] or checks["gave_up"]:
        # How long one check waits when the quick ones did not get through.
        patient = await checks_in_subprocess(args.port, 1, 0, args.patient)
    rss_after = rss_kib(pids)
    still_open_after = len(opened) - len(closed)
    held_seconds = time.monotonic() - t0
    for w in opened:
        w.transport.abort()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps({
        "connections": args.n, "opened": len(opened), "failed": failed,
        "open_seconds": round(open_seconds, 2), "held_seconds": round(held_seconds, 2),
        "open_when_checked": still_open_before, "open_after_checks": still_open_after,
        "closed_by_server": len(closed),
        "first_closed_by_server_s": round(min(closed), 2) if closed else None,
        "rss_before_kib": rss_before, "rss_open_kib": rss_open, "rss_after_checks_kib": rss_after,
        "checks": checks, "patient_check": patient,
    }))


# --- slowloris ------------------------------------------------------------------------------------

async def slowloris(args):
    pids = [int(p) for p in args.pids.split(",")]
    payload = (b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100000)
    rss_before = rss_kib(pids)
    conns = []  # dicts: t0, closed_at, how, answer, sent
    failed = {}
    gate = asyncio.Semaphore(args.concurrency)

    async def one():
        async with gate:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(HOST, args.port), 30)
            except Exception as e:  # noqa: BLE001
                failed[type(e).__name__] = failed.get(type(e).__name__, 0) + 1
                return
        # The connection's start: the server's deadline runs from about here.
        c = {"t0": time.monotonic(), "closed_at": None, "how": None, "answer": b"", "sent": 0}
        conns.append(c)

        async def send():
            if args.first_byte_after > 0:
                await asyncio.sleep(args.first_byte_after)
            for i in range(len(payload)):
                try:
                    writer.write(payload[i:i + 1])
                    await writer.drain()
                except Exception:  # noqa: BLE001: the reader records the close
                    return
                c["sent"] += 1
                await asyncio.sleep(1)

        sender = asyncio.create_task(send())
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    c["how"] = "eof"
                    break
                c["answer"] += data
        except Exception as e:  # noqa: BLE001
            c["how"] = type(e).__name__
        c["closed_at"] = time.monotonic() - c["t0"]
        sender.cancel()
        writer.transport.abort()

    sampler = Sampler(pids, 0.2).start()
    t_start = time.monotonic()
    tasks = [asyncio.create_task(one()) for _ in range(args.n)]
    while len(conns) + sum(failed.values()) < args.n:
        await asyncio.sleep(0.05)
    open_seconds = time.monotonic() - t_start
    await asyncio.sleep(1)
    # The checks: spread over the time the connections should still be open.
    spread = max(0.0, args.deadline - open_seconds - 2.5)
    checks = await checks_in_subprocess(args.port, args.checks, spread / args.checks, args.timeout)
    open_during_checks = sum(1 for c in conns if c["closed_at"] is None)
    limit = t_start + args.deadline * 2 + 30
    while any(c["closed_at"] is None for c in conns) and time.monotonic() < limit:
        await asyncio.sleep(0.1)
    samples = sampler.stop()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)

    closes = sorted(c["closed_at"] for c in conns if c["closed_at"] is not None)
    at_deadline = sum(1 for v in closes if args.deadline - 0.1 <= v <= args.deadline + 1.0)
    early = sum(1 for v in closes if v < args.deadline - 0.1)
    late = sum(1 for v in closes if v > args.deadline + 1.0)
    answers = {}
    for c in conns:
        line = c["answer"].split(b"\r\n", 1)[0].decode(errors="replace") if c["answer"] else ""
        key = line or "(nothing)"
        answers[key] = answers.get(key, 0) + 1
    hows = {}
    for c in conns:
        hows[str(c["how"])] = hows.get(str(c["how"]), 0) + 1
    sent = sorted(c["sent"] for c in conns)
    print(json.dumps({
        "connections": args.n, "opened": len(conns), "failed": failed,
        "open_seconds": round(open_seconds, 2), "deadline_s": args.deadline,
        "first_byte_after_s": args.first_byte_after,
        "open_during_checks": open_during_checks,
        "closed": len(closes), "never_closed": len(conns) - len(closes),
        "closed_at_deadline": at_deadline, "closed_early": early, "closed_late": late,
        "close_min_s": round(closes[0], 3) if closes else None,
        "close_p50_s": round(pct(closes, 50), 3) if closes else None,
        "close_max_s": round(closes[-1], 3) if closes else None,
        "answers": answers, "close_kind": hows,
        "bytes_sent_p50": pct(sent, 50), "bytes_sent_max": sent[-1] if sent else None,
        "rss_before_kib": rss_before, "rss_max_kib": max(v for _, v in samples),
        "checks": checks,
    }))


# --- a chunked body -------------------------------------------------------------------------------

def body(args):
    pids = [int(p) for p in args.pids.split(",")]
    chunk_size = 1 << 20
    full = b"%x\r\n" % chunk_size + b"a" * chunk_size + b"\r\n"
    total = int(args.bytes)
    rss_before = rss_kib(pids)
    sampler = Sampler(pids, 0.01).start()
    s = socket.create_connection((HOST, args.port), timeout=30)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.settimeout(10)
    state = {"sent": 0, "end": None, "end_s": None, "status": None, "status_s": None,
             "sent_at_status": None, "eof_s": None, "answer": b""}
    t0 = time.monotonic()

    def sender():
        try:
            s.sendall(f"POST {args.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      .encode())
            while state["sent"] < total:
                n = min(chunk_size, total - state["sent"])
                s.sendall(full if n == chunk_size else b"%x\r\n" % n + b"a" * n + b"\r\n")
                state["sent"] += n
            s.sendall(b"0\r\n\r\n")
            state["end"] = "all sent"
        except socket.timeout:
            state["end"] = "send stalled 10 s (server stopped reading, connection open)"
        except OSError as e:
            state["end"] = type(e).__name__
        state["end_s"] = time.monotonic() - t0

    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    deadline = t0 + args.max_seconds
    while time.monotonic() < deadline:
        try:
            data = s.recv(65536)
        except socket.timeout:
            if not thread.is_alive():
                break
            continue
        except OSError as e:
            state["eof_s"] = time.monotonic() - t0
            state["recv_error"] = type(e).__name__
            break
        if not data:
            state["eof_s"] = time.monotonic() - t0
            break
        state["answer"] += data
        if state["status"] is None:
            head = parse_head(state["answer"])
            if head:
                state["status"] = head[0]
                state["status_s"] = time.monotonic() - t0
                state["sent_at_status"] = state["sent"]
    thread.join(timeout=max(0.0, deadline - time.monotonic()))
    s.close()
    time.sleep(0.5)
    samples = sampler.stop()
    top = max(v for _, v in samples)
    answer = state["answer"]
    end = answer.find(b"\r\n\r\n")
    print(json.dumps({
        "path": args.path, "body_bytes": total, "status": state["status"],
        "status_s": None if state["status_s"] is None else round(state["status_s"], 3),
        "sent_at_status": state["sent_at_status"], "answer_body": answer[end + 4:][:200].decode(
            errors="replace") if end >= 0 else "",
        "sent": state["sent"], "sender_end": state["end"] or "still sending at max_seconds",
        "sender_end_s": None if state["end_s"] is None else round(state["end_s"], 3),
        "eof_s": None if state["eof_s"] is None else round(state["eof_s"], 3),
        "recv_error": state.get("recv_error"),
        "rss_before_kib": rss_before, "rss_max_kib": top, "rss_growth_kib": top - rss_before,
        "rss_after_kib": samples[-1][1], "samples": len(samples),
    }))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("checks")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--n", type=int, default=100)
    c.add_argument("--interval", type=float, default=0)
    c.add_argument("--timeout", type=float, default=5)
    for name in ("idle", "slowloris"):
        a = sub.add_parser(name)
        a.add_argument("--port", type=int, required=True)
        a.add_argument("--n", type=int, required=True)
        a.add_argument("--pids", required=True)
        a.add_argument("--checks", type=int, default=100)
        a.add_argument("--timeout", type=float, default=5)
        # Connections being opened at once. The slowloris opens few at a time so that each
        # connection's start is taken as soon as connect() returns (its close times count from it).
        a.add_argument("--concurrency", type=int, default=500 if name == "idle" else 20)
        if name == "idle":
            a.add_argument("--patient", type=float, default=90,
                           help="timeout of one more check when the checks failed")
        if name == "slowloris":
            a.add_argument("--deadline", type=float, required=True)
            a.add_argument("--first-byte-after", type=float, default=0,
                           help="silence before the first byte (then a byte a second)")
    b = sub.add_parser("body")
    b.add_argument("--port", type=int, required=True)
    b.add_argument("--path", required=True)
    b.add_argument("--bytes", type=float, required=True)
    b.add_argument("--pids", required=True)
    b.add_argument("--max-seconds", type=float, default=600)
    args = p.parse_args()
    if args.cmd == "checks":
        print(json.dumps(run_checks(args.port, args.n, args.interval, args.timeout)))
    elif args.cmd == "idle":
        asyncio.run(idle(args))
    elif args.cmd == "slowloris":
        asyncio.run(slowloris(args))
    else:
        body(args)


if __name__ == "__main__":
    main()
