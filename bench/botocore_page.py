#!/usr/bin/env python3
"""botocore's peer of bench/describe_page: the client-side cost of one DescribeInstances page.

Loops ec2.describe_instances(MaxResults=1000) with a botocore client against --endpoint
(bench/run.sh points it at nginx answering every request with the same captured 1,000-instance
page) and prints one JSON object with the figures describe_page prints: calls, seconds,
calls_per_s, p50_ms, p99_ms (nearest rank), mean_ms, max_ms, errors, instances, plus where
botocore came from.

The project installs no botocore of its own (pip and PyPI are not allowed in CI): run with
/usr/bin/python3 to use the botocore that Debian's awscli package (scripts/install-deps.sh
installs it) bundles in /usr/lib/python3/dist-packages/awscli/botocore, importable as `botocore`
once `awscli` is imported. Under another python, whatever `botocore` it has is used. A
benchmark, run by hand (bench/run.sh), never in CI.
"""
import argparse
import json
import math
import os
import platform
import sys
import time

PAGE_SIZE = 1000  # as describe_page


def load_botocore():
    """Returns (botocore.session module, a description of where it came from)."""
    try:
        import awscli  # AWS CLI v2 (Debian's) makes `import botocore` its bundled copy
    except ImportError:
        awscli = None
    import botocore
    import botocore.session
    source = f"botocore {botocore.__version__} at {os.path.dirname(botocore.__file__)}"
    if awscli is not None and botocore.__file__.startswith(os.path.dirname(awscli.__file__)):
        source += f" (bundled with awscli {awscli.__version__})"
    return botocore.session, source


def percentile(sorted_values, p):
    """Nearest rank, as bench/timing.cpp."""
    if not sorted_values:
        return 0.0
    rank = math.ceil(p * len(sorted_values))
    return sorted_values[min(max(rank, 1), len(sorted_values)) - 1]


def count_instances(response):
    return sum(len(r.get("Instances", [])) for r in response.get("Reservations", []))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="print where botocore comes from and exit")
    parser.add_argument("--endpoint")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    session_module, source = load_botocore()
    if args.check:
        print(source)
        return 0
    if not args.endpoint:
        parser.error("--endpoint is required")
    session = session_module.get_session()
    client = session.create_client(
        "ec2", region_name="us-west-2", endpoint_url=args.endpoint,
        aws_access_key_id="test", aws_secret_access_key="test")

    instances, errors, last_error = 0, 0, ""

    def call():
        nonlocal instances, errors, last_error
        try:
            instances = count_instances(client.describe_instances(MaxResults=PAGE_SIZE))
        except Exception as e:  # a failed call is counted, as in describe_page
            errors += 1
            last_error = repr(e)

    for _ in range(args.warmup):
        call()
    errors = 0
    latencies = []
    start = time.perf_counter()
    deadline = start + args.seconds
    while len(latencies) < args.iterations and time.perf_counter() < deadline:
        t0 = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - t0) * 1000)
    seconds = time.perf_counter() - start
    latencies.sort()
    calls = len(latencies)
    print(json.dumps({
        "mode": "botocore", "instances": instances, "calls": calls,
        "seconds": round(seconds, 3),
        "calls_per_s": round((calls - errors) / seconds, 4) if seconds > 0 else 0,
        "p50_ms": round(percentile(latencies, 0.50), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "mean_ms": round(sum(latencies) / calls, 3) if calls else 0,
        "max_ms": round(latencies[-1], 3) if calls else 0,
        "errors": errors, "botocore": source,
        "python": platform.python_version() + " at " + sys.executable,
    }))
    if errors:
        print(f"botocore_page: {errors} of {calls} calls failed; last: {last_error}",
              file=sys.stderr)
    return 0 if errors == 0 and calls > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
