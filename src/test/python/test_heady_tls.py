"""heady.py against a manager started with --tls-self-signed: run by RelayqClientIT with the system's python3.

HEADY_URL is the manager's https URL, HEADY_TOKEN its admin token, HEADY_TEST_FINGERPRINT the SHA-256
fingerprint of its certificate (AB:CD:...), read by the IT from the certificate file.
"""

import os
import unittest

import heady
from heady import HeadyError

FINGERPRINT = os.environ["HEADY_TEST_FINGERPRINT"]


def other_than(fp):
    first = "00" if not fp.startswith("00") else "11"
    return first + fp[2:]


class PinnedCertificate(unittest.TestCase):
    def test_the_printed_fingerprint_reaches_the_manager(self):
        pinned = heady.connect(fingerprint=FINGERPRINT)
        self.assertEqual("tls\n", pinned.run("echo tls").get(timeout=60))
        self.assertIs(True, pinned.worker_status(strict=True)["online"])

    def test_any_spelling_of_it_works_from_the_environment(self):
        os.environ["HEADY_MANAGER_FINGERPRINT"] = "sha256:" + FINGERPRINT.replace(":", "").lower()
        try:
            self.assertIs(True, heady.connect().worker_status(strict=True)["online"])
        finally:
            del os.environ["HEADY_MANAGER_FINGERPRINT"]

    def test_the_cli_config_files_manager_fingerprint_pins_it_too(self):
        import json
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "cli.json")
            with open(path, "w") as f:
                json.dump({"manager_fingerprint": FINGERPRINT}, f)
            os.environ["HEADY_CONFIG"] = path
            try:
                self.assertIs(True, heady.connect().worker_status(strict=True)["online"])
                with open(path, "w") as f:
                    json.dump({"manager_fingerprint": other_than(FINGERPRINT)}, f)
                with self.assertRaises(HeadyError) as caught:
                    heady.connect().run("echo never")
                self.assertEqual("FINGERPRINT_MISMATCH", caught.exception.code)
            finally:
                del os.environ["HEADY_CONFIG"]

    def test_a_wrong_fingerprint_is_refused_naming_both(self):
        wrong = other_than(FINGERPRINT)
        with self.assertRaises(HeadyError) as caught:
            heady.connect(fingerprint=wrong).run("echo never")
        self.assertEqual("FINGERPRINT_MISMATCH", caught.exception.code)
        self.assertIn(FINGERPRINT, str(caught.exception))
        self.assertIn(wrong, str(caught.exception))

    def test_without_a_pin_the_self_signed_certificate_is_not_trusted(self):
        with self.assertRaises(HeadyError) as caught:
            heady.connect().run("echo never")
        self.assertIn("HEADY_MANAGER_FINGERPRINT", str(caught.exception))

    def test_a_pin_needs_https(self):
        with self.assertRaises(HeadyError) as caught:
            heady.connect(url="http://127.0.0.1:1", fingerprint=FINGERPRINT).run("echo never")
        self.assertIn("not https://", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
