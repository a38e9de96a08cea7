"""heady for Python: relayq's API on a heady cluster, in one file that needs only the standard library.

    from heady import job, worker_status

    job.run("echo hello").get()                  # 'hello\\n', from whichever node heady picks
    job.run_on("rpi4", "python monitor.py")      # on the node with that id or name
    job.run_on_mac("ffmpeg -i in.mp4 out.mp4")   # on the node named "mac" (or $HEADY_MAC_NODE)
    worker_status()                              # relayq's dict: online, total_workers, ..., workers{}

Get it from any manager (it holds no secret): curl -fsSO http://<manager>:7070/install/heady.py
The copy a manager serves knows that manager's URL. Python 3.9 or newer; nothing to pip install.

Where the manager is and which token to present, each found on its own, first found wins (as the heady CLI):
  1. Job(url=..., token=...) or connect(url, token);
  2. the environment: HEADY_URL, HEADY_TOKEN;
  3. the config file: $HEADY_CONFIG, else $XDG_CONFIG_HOME/heady/cli.json (~/.config/heady/cli.json), then
     /etc/heady/cli.json: {"url": "...", "token": "..."} or {"token_file": "/path"}, and "manager_fingerprint";
  4. the URL of the manager that served this file, else http://127.0.0.1:7070; the token the manager made in
     $HEADY_DATA_DIR/admin.token, ~/.heady/admin.token or /var/lib/heady/admin.token when readable (not for
     the URL of the manager that served this file unless it is this machine: that token is this machine's).
Running tasks takes an operator or admin token; worker_status() a viewer token is enough.

HTTPS with the manager's self-signed certificate (--tls-self-signed): set HEADY_MANAGER_FINGERPRINT to the
SHA-256 fingerprint the manager prints at start (AB:CD:..., colons and case optional). The certificate is then
accepted only when its fingerprint matches, and the token is sent only after that check. Without it, https
URLs are checked against the system's trusted certificates as usual.
"""

import hashlib
import hmac
import http.client
import json
import os
import re
import socket
import ssl
import sys
import time
import urllib.parse

__all__ = ["job", "worker_status", "connect", "Job", "JobResult", "HeadyError", "TaskFailed", "JobTimeout"]
__version__ = "1"

# The manager rewrites the next line when it serves this file (GET /install/heady.py).
SERVED_MANAGER_URL=''

DEFAULT_URL = "http://127.0.0.1:7070"
# Task states after which nothing changes (the manager's wire names).
FINISHED = ("succeeded", "failed", "timed_out", "cancelled", "skipped")


class HeadyError(Exception):
    """Anything that went wrong talking to heady: the message says what and what to do."""

    def __init__(self, message, code=None, status=None):
        super().__init__(message)
        self.code = code
        self.status = status


class TaskFailed(HeadyError):
    """get() or wait() of a task that did not succeed; .task is its record, .reason why."""

    def __init__(self, task):
        self.task = task
        self.reason = _reason(task)
        where = task.get("node_name") or task.get("node_id")
        message = "task %s %s%s: %s" % (task.get("task_id"), task.get("status"), " on " + where if where else "",
                                        self.reason)
        stderr = ((task.get("result") or {}).get("stderr") or "").strip()
        if stderr:
            message += "; stderr: " + _tail(stderr, 400)
        super().__init__(message, code="TASK_" + str(task.get("status", "failed")).upper())


class JobTimeout(HeadyError, TimeoutError):
    """get() or wait() gave up waiting; the task itself goes on (cancel() stops it)."""


def _reason(task):
    if task.get("reason"):
        return str(task["reason"])
    if task.get("exit_code") not in (None, 0):
        return "exit code %s" % task["exit_code"]
    return str(task.get("status"))


def _tail(text, limit):
    return text if len(text) <= limit else "..." + text[-limit:]


# ---- configuration ---------------------------------------------------------------------------------------

def _present(value):
    return isinstance(value, str) and value.strip() != ""


def _loopback(url):
    host = (urllib.parse.urlsplit(url.strip()).hostname or "").lower()
    return host == "localhost" or host == "::1" or host.startswith("127.")


def _expand(path, home):
    return os.path.join(home, path[2:]) if path.startswith("~/") else path


def _read_token(path):
    try:
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
        return token or None
    except OSError:
        return None


def _read_config(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise HeadyError("cannot read the heady config file %s: %s" % (path, e), code="BAD_CONFIG")
    if not isinstance(data, dict):
        raise HeadyError("the heady config file %s must hold a JSON object like {\"url\": \"...\", \"token\": "
                         "\"...\"}" % path, code="BAD_CONFIG")
    return data


def normalize_url(raw, source):
    """host:port and http://host:port/ become http://host:port; anything else that is not http(s) is refused."""
    url = raw.strip()
    if "://" not in url:
        url = "http://" + url
    url = url.rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise HeadyError("the manager URL '%s' (from %s) is not an http(s) URL like http://host:7070" % (raw, source),
                         code="BAD_CONFIG")
    return url


def parse_fingerprint(text, source="HEADY_MANAGER_FINGERPRINT"):
    """The 32 bytes of a SHA-256 fingerprint as the manager prints it (AB:CD:...; colons, case, sha256: optional)."""
    t = text.strip()
    if "=" in t:
        t = t.split("=", 1)[1]
    if t.lower().startswith("sha256:"):
        t = t[7:]
    t = t.replace(":", "").replace(" ", "")
    if not re.fullmatch(r"[0-9A-Fa-f]{64}", t):
        raise HeadyError("%s '%s' is not a SHA-256 fingerprint: expected 64 hex digits (AB:CD:...), as the manager "
                         "prints it at start" % (source, text[:100]), code="BAD_CONFIG")
    return bytes.fromhex(t)


class Config:
    """The manager's URL, the token and the pinned fingerprint, with where each came from (for messages)."""

    def __init__(self, url, url_source, token, token_source, fingerprint=None):
        self.url = url
        self.url_source = url_source
        self.token = token
        self.token_source = token_source
        self.fingerprint = fingerprint

    @classmethod
    def resolve(cls, url=None, token=None, fingerprint=None, env=None, home=None,
                machine_file="/etc/heady/cli.json"):
        env = os.environ if env is None else env
        home = os.path.expanduser("~") if home is None else home
        url_source = token_source = None
        if _present(url):
            url, url_source = url.strip(), "url="
        if _present(token):
            token, token_source = token.strip(), "token="
        if url is None and _present(env.get("HEADY_URL")):
            url, url_source = env["HEADY_URL"].strip(), "HEADY_URL"
        if token is None and _present(env.get("HEADY_TOKEN")):
            token, token_source = env["HEADY_TOKEN"].strip(), "HEADY_TOKEN"
        if _present(env.get("HEADY_CONFIG")):
            user_file = _expand(env["HEADY_CONFIG"].strip(), home)
        else:
            base = env.get("XDG_CONFIG_HOME") if _present(env.get("XDG_CONFIG_HOME")) else os.path.join(home, ".config")
            user_file = os.path.join(base, "heady", "cli.json")
        pin = fingerprint if fingerprint is not None else env.get("HEADY_MANAGER_FINGERPRINT")
        pin_source = "fingerprint=" if fingerprint is not None else "HEADY_MANAGER_FINGERPRINT"
        for path in (user_file, machine_file):
            if url is not None and token is not None and _present(pin):
                break
            data = _read_config(path)
            if data is None:
                continue
            if not _present(pin) and _present(data.get("manager_fingerprint")):
                pin, pin_source = data["manager_fingerprint"].strip(), path
            if url is None and _present(data.get("url")):
                url, url_source = data["url"].strip(), path
            if token is None and _present(data.get("token")):
                token, token_source = data["token"].strip(), path
            elif token is None and _present(data.get("token_file")):
                tf = _expand(data["token_file"].strip(), home)
                token = _read_token(tf)
                if token is None:
                    raise HeadyError("%s names token_file %s, which cannot be read" % (path, tf), code="BAD_CONFIG")
                token_source = tf
        served = False
        if url is None and _present(SERVED_MANAGER_URL):
            url, url_source, served = SERVED_MANAGER_URL, "the manager that served heady.py", True
        if url is None:
            url, url_source = DEFAULT_URL, "default"
        # why: the admin token found on this machine is this machine's manager's; a copy served by another
        # manager would otherwise hand it to that one, unasked
        if token is None and (not served or _loopback(url)):
            dirs = [_expand(env["HEADY_DATA_DIR"].strip(), home)] if _present(env.get("HEADY_DATA_DIR")) else []
            for d in dirs + [os.path.join(home, ".heady"), "/var/lib/heady"]:
                token = _read_token(os.path.join(d, "admin.token"))
                if token is not None:
                    token_source = os.path.join(d, "admin.token")
                    break
        url = normalize_url(url, url_source)
        pinned = None
        if _present(pin):
            pinned = parse_fingerprint(pin, pin_source)
            if not url.lower().startswith("https://"):
                raise HeadyError("%s pins an HTTPS certificate, but the manager URL %s (from %s) "
                                 "is not https://" % (pin_source, url, url_source), code="BAD_CONFIG")
        return cls(url, url_source, token, token_source, pinned)


# ---- HTTP ------------------------------------------------------------------------------------------------

class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS that accepts exactly one certificate: the one whose SHA-256 fingerprint is pinned."""

    def __init__(self, host, port, pin, timeout):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        # why: a self-signed certificate names no CA we could trust; the fingerprint check below replaces both
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        super().__init__(host, port, timeout=timeout, context=ctx)
        self._pin = pin

    def connect(self):
        super().connect()
        got = hashlib.sha256(self.sock.getpeercert(binary_form=True) or b"").digest()
        if not hmac.compare_digest(got, self._pin):
            self.sock.close()
            self.sock = None
            raise HeadyError("the manager at %s:%s presented a certificate with fingerprint %s, not the pinned %s "
                             "(HEADY_MANAGER_FINGERPRINT); nothing was sent. Check the fingerprint the manager printed "
                             "at start" % (self.host, self.port, _hex(got), _hex(self._pin)),
                             code="FINGERPRINT_MISMATCH")


def _hex(digest):
    return ":".join("%02X" % b for b in digest)


class Client:
    """A heady manager's HTTP API: JSON in, JSON out, a HeadyError naming what is wrong otherwise."""

    def __init__(self, url=None, token=None, fingerprint=None, timeout=30.0, config=None):
        self.config = config or Config.resolve(url, token, fingerprint)
        self.timeout = timeout
        parts = urllib.parse.urlsplit(self.config.url)
        self._https = parts.scheme.lower() == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._base = parts.path.rstrip("/")

    @property
    def url(self):
        return self.config.url

    def _connection(self):
        if self._https and self.config.fingerprint is not None:
            return _PinnedHTTPSConnection(self._host, self._port, self.config.fingerprint, self.timeout)
        if self._https:
            return http.client.HTTPSConnection(self._host, self._port, timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)

    def request(self, method, path, body=None):
        cfg = self.config
        headers = {"Accept": "application/json", "User-Agent": "heady-python/" + __version__}
        if cfg.token:
            headers["Authorization"] = "Bearer " + cfg.token
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        conn = self._connection()
        try:
            conn.request(method, self._base + path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            status = resp.status
        except HeadyError:
            raise
        except ssl.SSLCertVerificationError as e:
            raise HeadyError("the manager at %s (from %s) has a certificate this machine does not trust (%s); for a "
                             "manager started with --tls-self-signed set HEADY_MANAGER_FINGERPRINT to the fingerprint "
                             "it printed at start" % (cfg.url, cfg.url_source, e.verify_message or e),
                             code="UNREACHABLE") from e
        except (OSError, http.client.HTTPException) as e:
            why = "timed out after %gs" % self.timeout if isinstance(e, socket.timeout) else str(e) or type(e).__name__
            raise HeadyError("cannot reach the heady manager at %s (from %s): %s. Is it running? Point HEADY_URL at "
                             "it, e.g. HEADY_URL=http://192.168.1.10:7070" % (cfg.url, cfg.url_source, why),
                             code="UNREACHABLE") from e
        finally:
            conn.close()
        try:
            answer = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            answer = None
        if 200 <= status < 300:
            if answer is None:
                raise HeadyError("the manager at %s answered %s %s with something that is not JSON; is that URL a heady "
                                 "manager?" % (cfg.url, method, path), code="BAD_ANSWER", status=status)
            return answer
        err = answer.get("error") if isinstance(answer, dict) and isinstance(answer.get("error"), dict) else {}
        code = err.get("code") or "HTTP_%d" % status
        message = err.get("message") or _tail(raw.decode("utf-8", "replace").strip(), 200) or "no message"
        if status == 401:
            if not cfg.token:
                message = ("no token: the manager at %s wants one. Set HEADY_TOKEN (heady token create NAME --access "
                           "operator, on the manager), or put {\"token\": ...} in ~/.config/heady/cli.json" % cfg.url)
            else:
                message = ("the manager at %s refused the token from %s: %s. Set HEADY_TOKEN to a valid token (heady "
                           "token create NAME --access operator, on the manager)" % (cfg.url, cfg.token_source, message))
        elif status == 403:
            message = "the token from %s may not %s %s: %s" % (cfg.token_source, method, path, message)
        raise HeadyError("%s (%s %d)" % (message, code, status), code=code, status=status)

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)


# ---- relayq's surface ------------------------------------------------------------------------------------

class JobResult:
    """A submitted task, as relayq's result: ready(), failed(), wait(timeout), get(timeout), id."""

    def __init__(self, client, task_id, record=None):
        self._client = client
        self.id = task_id
        self._record = record or {}

    @property
    def task_id(self):
        return self.id

    def refresh(self):
        """The task's record as the manager holds it now (GET /api/cluster/tasks/<id>)."""
        self._record = self._client.get("/api/cluster/tasks/" + urllib.parse.quote(self.id, safe=""))
        return self._record

    @property
    def info(self):
        """The last record read (refresh() reads a new one)."""
        return self._record

    @property
    def status(self):
        return self.refresh().get("status")

    def ready(self):
        """True once the task has finished, whatever the outcome."""
        return self.refresh().get("status") in FINISHED

    def failed(self):
        """True once the task has finished without succeeding (failed, timed out, cancelled, skipped)."""
        status = self.refresh().get("status")
        return status in FINISHED and status != "succeeded"

    def successful(self):
        return self.refresh().get("status") == "succeeded"

    @property
    def node(self):
        """The name of the node the task ran (or runs) on, or None before it is placed."""
        return self._record.get("node_name") or self._record.get("node_id")

    @property
    def exit_code(self):
        return self._record.get("exit_code")

    @property
    def stdout(self):
        return (self._record.get("result") or {}).get("stdout") or ""

    @property
    def stderr(self):
        return (self._record.get("result") or {}).get("stderr") or ""

    def get(self, timeout=None, interval=1.0):
        """
        Waits for the task and returns its standard output (as relayq's get()). Raises TaskFailed naming the
        reason when it did not succeed, JobTimeout when it has not finished within timeout seconds (None: wait
        as long as it takes).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.05
        while True:
            record = self.refresh()
            status = record.get("status")
            if status == "succeeded":
                return self.stdout
            if status in FINISHED:
                raise TaskFailed(record)
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                where = record.get("node_name") or record.get("node_id")
                why = record.get("waiting_reason") if status in ("queued", "waiting") else None
                raise JobTimeout("task %s has not finished after %gs: it is %s%s%s (it goes on; cancel() stops it)"
                                 % (self.id, timeout, status, " on " + where if where else "",
                                    ": " + str(why) if why else ""), code="TIMEOUT")
            pause = min(pause * 1.5, interval)
            time.sleep(pause if deadline is None else max(0.0, min(pause, deadline - now)))

    def wait(self, timeout=None, interval=1.0):
        """relayq's wait(): the same as get(timeout)."""
        return self.get(timeout=timeout, interval=interval)

    def cancel(self):
        """Stops the task (queued or running); returns its record."""
        self._record = self._client.post("/api/cluster/tasks/%s/cancel" % urllib.parse.quote(self.id, safe=""), {})
        return self._record

    def __repr__(self):
        return "<JobResult %s %s>" % (self.id, self._record.get("status", "submitted"))


class Job:
    """relayq's job: run a shell command anywhere, on a named node, and ask who is online."""

    def __init__(self, url=None, token=None, fingerprint=None, timeout=30.0):
        self._args = (url, token, fingerprint, timeout)
        self._client = None

    @property
    def client(self):
        # why: the module-level job is made at import; the environment is read at the first call, not before
        if self._client is None:
            url, token, fingerprint, timeout = self._args
            self._client = Client(url, token, fingerprint, timeout)
        return self._client

    def run(self, command, cwd=None, worker=None, env=None, type=None, priority=None, timeout=None, id=None):
        """
        Runs a shell command (/bin/sh -c) on a node heady picks, or on worker (a node id or name) when given.
        timeout: seconds the task may run (None: its type's default). Returns a JobResult at once.
        """
        if not isinstance(command, str) or command == "":
            raise HeadyError("command must be a non-empty string, e.g. job.run(\"echo hello\")", code="INVALID_FIELD")
        body = {"command": command}
        if cwd is not None:
            body["cwd"] = str(cwd)
        if worker is not None:
            body["node"] = str(worker)
        if env:
            body["env"] = {str(k): str(v) for k, v in env.items()}
        if type is not None:
            body["type"] = type
        if priority is not None:
            body["priority"] = priority
        if timeout is not None:
            body["timeout_ms"] = int(timeout * 1000)
        if id is not None:
            body["id"] = id
        answer = self.client.post("/api/cluster/tasks/route", body)
        return JobResult(self.client, answer["task_id"], answer)

    def run_on(self, node, command, cwd=None, **options):
        """Runs the command on that node only (its id or its name); it waits in the queue while that node is busy."""
        if not _present(node):
            raise HeadyError("run_on needs a node id or name, e.g. job.run_on(\"rpi4\", \"uptime\")",
                             code="INVALID_FIELD")
        return self.run(command, cwd=cwd, worker=node, **options)

    def run_on_mac(self, command, cwd=None, **options):
        """relayq's run_on_mac: on the node named "mac" (or the node named by $HEADY_MAC_NODE)."""
        return self.run_on(os.environ.get("HEADY_MAC_NODE") or "mac", command, cwd=cwd, **options)

    def run_on_rpi(self, command, cwd=None, **options):
        """relayq's run_on_rpi: on the node named "rpi" (or the node named by $HEADY_RPI_NODE)."""
        return self.run_on(os.environ.get("HEADY_RPI_NODE") or "rpi", command, cwd=cwd, **options)

    def result(self, task_id):
        """A JobResult for a task submitted earlier (by its id)."""
        return JobResult(self.client, task_id)

    def worker_status(self, strict=False):
        """relayq's worker_status(); see the module's worker_status()."""
        try:
            return self.client.get("/api/cluster/workers")
        except HeadyError as e:
            if strict:
                raise
            # why: relayq's worker_status() never raises; it answers offline with the error's text
            return {"online": False, "error": str(e), "workers": {}}


job = Job()


def connect(url=None, token=None, fingerprint=None, timeout=30.0):
    """A Job for this manager, e.g. connect("http://192.168.1.10:7070", token="...")."""
    return Job(url, token, fingerprint, timeout)


def worker_status(strict=False):
    """
    relayq's worker_status(): {"online": bool, "total_workers", "total_active", "total_queued", "workers": {name:
    {"type", "active_jobs", "queued_jobs", "total_jobs", "online", ...heady's own fields}}}. Like relayq's, it
    does not raise: when the manager cannot be asked it returns {"online": False, "error": "...", "workers": {}}
    (strict=True raises the HeadyError instead).
    """
    return job.worker_status(strict=strict)


def _main(argv):
    usage = "usage: python3 heady.py workers | run COMMAND | run-on NODE COMMAND"
    try:
        if argv[:1] == ["workers"] and len(argv) == 1:
            print(json.dumps(worker_status(strict=True), indent=2))
        elif argv[:1] == ["run"] and len(argv) == 2:
            sys.stdout.write(job.run(argv[1]).get())
        elif argv[:1] == ["run-on"] and len(argv) == 3:
            sys.stdout.write(job.run_on(argv[1], argv[2]).get())
        else:
            print(usage, file=sys.stderr)
            return 2
    except HeadyError as e:
        print("heady: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
