"""relayq's API on a real heady cluster: run by RelayqClientIT with the system's python3.

The IT starts a manager and an agent whose node is named "mac" (labelled type=mac-mini, one slot), downloads
heady.py from the manager (/install/heady.py, which knows that manager's URL) onto PYTHONPATH, and sets
HEADY_TOKEN; HEADY_TEST_MAC_ID is the agent's node id, HEADY_TEST_CLOSED_PORT a port nothing listens on.
"""

import os
import tempfile
import time
import unittest

import heady
from heady import HeadyError, JobTimeout, TaskFailed, job, worker_status

MAC_ID = os.environ["HEADY_TEST_MAC_ID"]
LIMIT = 60
RELAYQ_TOP = {"online", "total_workers", "total_active", "total_queued", "workers"}
RELAYQ_WORKER = {"type", "active_jobs", "queued_jobs", "total_jobs", "online"}


class RelayqSurface(unittest.TestCase):
    def test_the_served_copy_knows_its_manager(self):
        self.assertNotIn("HEADY_URL", os.environ)
        self.assertTrue(heady.SERVED_MANAGER_URL.startswith("http://127.0.0.1:"), heady.SERVED_MANAGER_URL)
        self.assertEqual(heady.SERVED_MANAGER_URL, job.client.url)

    def test_run_echo_hi_gets_its_output(self):
        r = job.run("echo hi")
        self.assertTrue(r.id)
        self.assertEqual("hi\n", r.get(timeout=LIMIT))
        self.assertTrue(r.ready())
        self.assertFalse(r.failed())
        self.assertEqual(0, r.exit_code)

    def test_run_on_a_node_by_id_runs_there(self):
        r = job.run_on(MAC_ID, "echo on the mac")
        self.assertEqual("on the mac\n", r.get(timeout=LIMIT))
        self.assertEqual(MAC_ID, r.info["node_id"])
        other = job.run_on("local", "echo on the manager")
        self.assertEqual("on the manager\n", other.get(timeout=LIMIT))
        self.assertEqual("local", other.info["node_id"])

    def test_run_on_mac_and_worker_pick_the_node_named_mac(self):
        r = job.run_on_mac("echo via run_on_mac", cwd="/")
        self.assertEqual("via run_on_mac\n", r.get(timeout=LIMIT))
        self.assertEqual(MAC_ID, r.info["node_id"])
        self.assertEqual("mac", r.node)
        w = job.run("pwd", cwd="/tmp", worker="mac")
        self.assertEqual("/tmp\n", w.get(timeout=LIMIT))
        self.assertEqual(MAC_ID, w.info["node_id"])

    def test_a_failing_command_is_failed_and_get_names_the_reason(self):
        r = job.run("echo oops >&2; exit 3")
        with self.assertRaises(TaskFailed) as caught:
            r.get(timeout=LIMIT)
        message = str(caught.exception)
        self.assertIn(r.id, message)
        self.assertIn("exit code 3", message)
        self.assertIn("oops", message)
        self.assertEqual("failed", caught.exception.task["status"])
        self.assertTrue(r.ready())
        self.assertTrue(r.failed())

    def test_wait_times_out_while_the_task_runs_on(self):
        r = job.run_on("local", "sleep 60")
        try:
            started = time.monotonic()
            with self.assertRaises(JobTimeout) as caught:
                r.wait(timeout=1.5)
            waited = time.monotonic() - started
            self.assertIsInstance(caught.exception, TimeoutError)
            self.assertGreaterEqual(waited, 1.5)
            self.assertLess(waited, 30, "it gave up long before the task could end")
            self.assertIn(r.id, str(caught.exception))
            self.assertFalse(r.ready(), "the task goes on after a timed-out wait")
        finally:
            r.cancel()
        with self.assertRaises(TaskFailed) as stopped:
            r.get(timeout=LIMIT)
        self.assertEqual("cancelled", stopped.exception.task["status"])

    def test_a_wait_on_a_task_no_node_can_take_says_why(self):
        r = job.run_on("no-such-node", "echo never")
        try:
            with self.assertRaises(JobTimeout) as caught:
                r.get(timeout=2)
            self.assertIn("it is queued", str(caught.exception))
            self.assertIn("pinned to no-such-node", str(caught.exception))
        finally:
            r.cancel()

    def test_worker_status_has_relayqs_shape(self):
        for status in (worker_status(), job.worker_status()):
            self.assertEqual(RELAYQ_TOP, set(status), status)
            self.assertIs(True, status["online"])
            for k in ("total_workers", "total_active", "total_queued"):
                self.assertIsInstance(status[k], int, k)
            mac = status["workers"]["mac"]
            self.assertTrue(RELAYQ_WORKER <= set(mac), mac)
            self.assertIs(True, mac["online"])
            self.assertEqual("mac-mini", mac["type"], "the node's type label")
            for k in ("active_jobs", "queued_jobs", "total_jobs"):
                self.assertIsInstance(mac[k], int, k)
            self.assertEqual(MAC_ID, mac["node_id"], "heady's own fields stay beside relayq's")
            self.assertEqual("cloud", status["workers"]["local"]["type"])


class Errors(unittest.TestCase):
    def test_a_wrong_token_is_named(self):
        wrong = heady.connect(token="not-a-heady-token")
        with self.assertRaises(HeadyError) as caught:
            wrong.run("echo never")
        self.assertEqual(401, caught.exception.status)
        self.assertIn("refused the token from token=", str(caught.exception))
        status = wrong.worker_status()
        self.assertIs(False, status["online"])
        self.assertEqual({}, status["workers"])
        self.assertIn("refused the token", status["error"])
        with self.assertRaises(HeadyError):
            wrong.worker_status(strict=True)

    def test_an_unreachable_manager_is_named(self):
        url = "http://127.0.0.1:" + os.environ["HEADY_TEST_CLOSED_PORT"]
        gone = heady.connect(url=url, timeout=5)
        with self.assertRaises(HeadyError) as caught:
            gone.run("echo never")
        self.assertIn("cannot reach the heady manager at " + url, str(caught.exception))
        self.assertEqual("UNREACHABLE", caught.exception.code)

    def test_bad_input_is_refused_before_sending(self):
        with self.assertRaises(HeadyError):
            job.run("")
        with self.assertRaises(HeadyError):
            job.run_on("", "echo")
        with self.assertRaises(HeadyError) as caught:
            heady.connect(url="ftp://example.org").run("echo")
        self.assertIn("not an http(s) URL", str(caught.exception))


class LocalToken(unittest.TestCase):
    """The admin token found on this machine goes only to a manager the user named or to this machine: a copy
    served by another manager must not hand it this machine's admin token."""

    def resolve(self, home, served, env=None):
        saved = heady.SERVED_MANAGER_URL
        heady.SERVED_MANAGER_URL = served
        try:
            return heady.Config.resolve(env=env or {}, home=home, machine_file=os.path.join(home, "none.json"))
        finally:
            heady.SERVED_MANAGER_URL = saved

    def test_a_local_admin_token_is_not_sent_to_the_manager_that_served_this_file(self):
        with tempfile.TemporaryDirectory() as home:
            os.makedirs(os.path.join(home, ".heady"))
            with open(os.path.join(home, ".heady", "admin.token"), "w") as f:
                f.write("this-machines-admin-token\n")
            elsewhere = self.resolve(home, "http://192.0.2.50:7070")
            self.assertEqual("http://192.0.2.50:7070", elsewhere.url)
            self.assertIsNone(elsewhere.token, "another manager's copy must not get this machine's token")
            here = self.resolve(home, "http://127.0.0.1:7070")
            self.assertEqual("this-machines-admin-token", here.token)
            named = self.resolve(home, "http://192.0.2.50:7070", env={"HEADY_URL": "http://192.0.2.60:7070"})
            self.assertEqual("http://192.0.2.60:7070", named.url)
            self.assertEqual("this-machines-admin-token", named.token, "a URL the user gave takes it, as the CLI")


if __name__ == "__main__":
    unittest.main()
