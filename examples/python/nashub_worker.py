#!/usr/bin/env python3
"""A nashub search worker in one file, standard library only.

A nashub search run lives on the server: it decides what to evaluate next (the strategy), hands trials out to any
number of workers (`ask`), and waits for their results (`tell`). This file is all a Python worker needs:

    from nashub_worker import NashubWorker

    def evaluate(trial):
        arch = trial["architecture"]["arch"]   # e.g. '|nor_conv_3x3~0|+|skip_connect~0|none~1|+|...|'
        epochs = trial["epochs"]               # the fidelity to train at (the trial's protocol, e.g. hp=12)
        accuracy, seconds = train_and_validate(arch, epochs)   # your PyTorch code
        return accuracy, seconds                               # value (percent), cost (seconds)

    NashubWorker("http://nashub:4000/graphql", key="...", run="RUN_ID").run(evaluate)

The key needs the role `trainer` (`nashub keys create --name gpu-box --role trainer`). Run it as a script against a
TABLE run to see the loop work without training anything:

    python3 nashub_worker.py --url http://127.0.0.1:4000/graphql --key KEY --run RUN_ID

Rules the server keeps, so workers need no coordination: a trial is given to one worker only; a trial not told within
the run's lease (`leaseSeconds`, renewed by `heartbeat`) expires and is handed out again; telling the same value twice
is harmless (a retry after a lost reply), a different value is a CONFLICT.
"""

import argparse
import json
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

TRIAL_FIELDS = """
  id runId number protocol epochs state value cost worker leaseExpiresAt
  architecture { id arch space }
  simulated { value cost }
"""

ASK = (
    """
mutation Ask($run: ID!, $worker: String!, $n: Int) {
  ask(run: $run, worker: $worker, n: $n) { finished retryAfterSeconds trials { %s } }
}"""
    % TRIAL_FIELDS
)

TELL = (
    """
mutation Tell($trial: ID!, $worker: String!, $value: Float!, $cost: Float, $curve: [Float!]) {
  tell(trial: $trial, worker: $worker, value: $value, cost: $cost, curve: $curve) { %s }
}"""
    % TRIAL_FIELDS
)

FAIL = (
    """
mutation Fail($trial: ID!, $worker: String!, $reason: String!) {
  failTrial(trial: $trial, worker: $worker, reason: $reason) { %s }
}"""
    % TRIAL_FIELDS
)

HEARTBEAT = (
    """
mutation Heartbeat($trial: ID!, $worker: String!) {
  heartbeat(trial: $trial, worker: $worker) { %s }
}"""
    % TRIAL_FIELDS
)

RUN = """
query Run($id: ID!) {
  searchRun(id: $id) {
    id status mode strategy leaseSeconds budgetEvaluations budgetSeconds
    budgetUsed { evaluations seconds }
    best { value finalValue architecture { arch } }
  }
}"""


class NashubError(Exception):
    """An error the server answered, with its code: NOT_FOUND, CONFLICT, INVALID_ARGUMENT, UNAUTHENTICATED, ..."""

    def __init__(self, code, message, details=None):
        super().__init__("%s: %s" % (code, message))
        self.code = code
        self.message = message
        self.details = details or {}


class NashubWorker:
    """One worker of one search run.

    url: the GraphQL endpoint (http://host:4000/graphql); key: an API key with role `trainer`; run: the run's id;
    worker: this worker's name (default host-pid), which the server records on each trial it hands out.
    retries: attempts of one request when the server cannot be reached or answers 503 (restarting), with backoff.
    """

    def __init__(self, url, key, run, worker=None, retries=8, timeout=30.0):
        self.url = url
        self.key = key
        self.run_id = run
        self.worker = worker or "%s-%d" % (socket.gethostname(), os.getpid())
        self.retries = retries
        self.timeout = timeout

    # --- the five calls -------------------------------------------------------------------------------------------

    def ask(self, n=1):
        """Up to n trials to evaluate: {'trials': [...], 'finished': bool, 'retryAfterSeconds': float}."""
        return self._graphql(ASK, {"run": self.run_id, "worker": self.worker, "n": n})["ask"]

    def tell(self, trial_id, value, cost=None, curve=None):
        """Reports a trial's result: value (accuracy in percent), cost (seconds it took), curve (per-epoch values)."""
        variables = {"trial": trial_id, "worker": self.worker, "value": float(value)}
        if cost is not None:
            variables["cost"] = float(cost)
        if curve is not None:
            variables["curve"] = [float(v) for v in curve]
        return self._graphql(TELL, variables)["tell"]

    def fail(self, trial_id, reason):
        """Reports that a trial could not be evaluated (it is not asked again)."""
        return self._graphql(FAIL, {"trial": trial_id, "worker": self.worker, "reason": str(reason)})["failTrial"]

    def heartbeat(self, trial_id):
        """Says the trial is still being evaluated: renews its lease (call it every epoch of a long training)."""
        return self._graphql(HEARTBEAT, {"trial": trial_id, "worker": self.worker})["heartbeat"]

    def search_run(self):
        """The run: status, budget used, best architecture so far (a public read)."""
        return self._graphql(RUN, {"id": self.run_id})["searchRun"]

    # --- the loop -------------------------------------------------------------------------------------------------

    def run(self, evaluate, max_trials=None, heartbeat_seconds=None, log=None):
        """Asks, evaluates and tells until the run is finished (or max_trials are told); returns the trials told.

        evaluate(trial) returns the value, or (value, cost), or {'value': v, 'cost': c, 'curve': [...]}. An exception
        in evaluate fails the trial with its message and the loop goes on; KeyboardInterrupt stops the loop (the
        trial's lease then runs out and another worker gets it). heartbeat_seconds: renew the lease from a background
        thread this often while evaluate runs (for trainings longer than the run's lease).
        """
        told = 0
        while max_trials is None or told < max_trials:
            answer = self.ask(1)
            if answer["finished"]:
                break
            if not answer["trials"]:
                # Other workers hold the trials the strategy needs before it can propose more.
                time.sleep(max(answer["retryAfterSeconds"], 0.01))
                continue
            for trial in answer["trials"]:
                try:
                    with _Heartbeat(self, trial["id"], heartbeat_seconds):
                        result = evaluate(trial)
                except KeyboardInterrupt:
                    raise
                except Exception as error:  # the trial failed, not the worker
                    self._log(log, "trial %s failed: %r" % (trial["number"], error))
                    self._quietly(lambda: self.fail(trial["id"], "%s: %s" % (type(error).__name__, error)), log)
                    continue
                value, cost, curve = _result_of(result)
                if self._quietly(lambda: self.tell(trial["id"], value, cost, curve), log):
                    told += 1
                    self._log(log, "told trial %s: %s" % (trial["number"], value))
        return told

    # --- plumbing -------------------------------------------------------------------------------------------------

    def _quietly(self, call, log):
        """Runs a tell or fail; a CONFLICT (the lease ran out, or the run finished meanwhile) is logged, not raised."""
        try:
            call()
            return True
        except NashubError as error:
            if error.code != "CONFLICT":
                raise
            self._log(log, "not recorded: %s" % error)
            return False

    @staticmethod
    def _log(log, line):
        if log is not None:
            log(line)

    def _graphql(self, query, variables):
        body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
        headers = {"content-type": "application/json", "authorization": "Bearer " + self.key}
        delay = 0.2
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    reply = json.loads(response.read())
            except urllib.error.HTTPError as error:
                # GraphQL errors may come with 4xx statuses (400, 401, 403, 413); 503 means the server is restarting.
                if error.code == 503 and attempt < self.retries:
                    time.sleep(delay)
                    delay = min(delay * 2, 10.0)
                    continue
                try:
                    reply = json.loads(error.read())
                except ValueError:
                    raise NashubError("HTTP_%d" % error.code, error.reason) from None
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                # Not reachable (yet): back off and retry. tell is idempotent, so a retried tell is safe.
                if attempt == self.retries:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            errors = reply.get("errors")
            if errors:
                first = errors[0]
                extensions = first.get("extensions") or {}
                raise NashubError(extensions.get("code", "INTERNAL_SERVER_ERROR"), first.get("message", ""), extensions)
            return reply["data"]
        raise AssertionError("unreachable")


class _Heartbeat:
    """Renews a trial's lease every `seconds` from a daemon thread while a `with` block runs (nothing when None)."""

    def __init__(self, worker, trial_id, seconds):
        self.worker, self.trial_id, self.seconds = worker, trial_id, seconds
        self.stop = threading.Event()
        self.thread = None

    def __enter__(self):
        if self.seconds:
            self.thread = threading.Thread(target=self._beat, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        return False

    def _beat(self):
        while not self.stop.wait(self.seconds):
            try:
                self.worker.heartbeat(self.trial_id)
            except Exception:  # a missed heartbeat is not fatal; the tell decides
                pass


def _result_of(result):
    """(value, cost, curve) from what evaluate returned."""
    if isinstance(result, dict):
        return result["value"], result.get("cost"), result.get("curve")
    if isinstance(result, (tuple, list)):
        return (tuple(result) + (None, None))[:3]
    return result, None, None


def tell_simulated(trial):
    """The evaluate of a TABLE run: the stored record's value and simulated cost, as the server handed them out."""
    simulated = trial.get("simulated")
    if simulated is None:
        raise ValueError("trial %s carries no simulated value: not a TABLE run" % trial["number"])
    # A real worker trains here instead, e.g. with PyTorch:
    #   model = build_nb201_network(trial["architecture"]["arch"], num_classes=10)
    #   accuracy, seconds = train(model, epochs=trial["epochs"], on_epoch=lambda: worker.heartbeat(trial["id"]))
    #   return accuracy, seconds
    return simulated["value"], simulated.get("cost")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Evaluate a nashub search run's trials until it is finished.")
    parser.add_argument("--url", default="http://127.0.0.1:4000/graphql", help="the GraphQL endpoint")
    parser.add_argument("--key", default=os.environ.get("NASHUB_KEY"), help="API key, role trainer ($NASHUB_KEY)")
    parser.add_argument("--run", required=True, help="the search run's id")
    parser.add_argument("--worker", help="this worker's name (default host-pid)")
    parser.add_argument("--max-trials", type=int, help="stop after telling this many trials")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("--key (or $NASHUB_KEY) is required")

    worker = NashubWorker(args.url, args.key, args.run, worker=args.worker)
    log = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    try:
        told = worker.run(tell_simulated, max_trials=args.max_trials, log=log)
    except NashubError as error:
        print("nashub: %s" % error, file=sys.stderr)
        return 2
    print(json.dumps({"worker": worker.worker, "told": told}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
