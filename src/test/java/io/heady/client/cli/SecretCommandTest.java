package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heady secret} and {@code heady run --secret} input that is refused before anything is sent: each is a usage
 * error. What the commands do with a manager is tested against a real one (e2e {@code CliAgainstManagerIT}).
 */
class SecretCommandTest {
  @TempDir
  Path home;
  /** A port nothing listens on: a command that sent anything would fail to connect (exit 1), not exit 2. */
  int closedPort;

  record Run(int rc, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  private Run cli(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", "http://127.0.0.1:" + closedPort, "--token", "ha_test_token_0123456789"));
    CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), Map.of(), home,
        home.resolve("etc-cli.json"), false, Clock.fixed(Instant.parse("2025-01-01T00:01:00Z"), ZoneOffset.UTC),
        new ByteArrayInputStream(stdin));
    int rc = Cli.run(all.toArray(String[]::new), ctx);
    return new Run(rc, out.toString(), err.toString());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void badInputIsAUsageErrorAndSendsNothing() {
    Run empty = cli(utf8("\n"), "secret", "set", "API_KEY");
    assertEquals(2, empty.rc);
    assertTrue(empty.err.startsWith("heady: no value on standard input"), empty.err);
    Run badName = cli(utf8("v"), "secret", "set", "api-key");
    assertEquals(2, badName.rc);
    assertTrue(badName.err.contains("'api-key' is not a valid secret name"), badName.err);
    Run tooBig = cli(new byte[64 * 1024 + 1], "secret", "set", "BIG");
    assertEquals(2, tooBig.rc, tooBig.err);
    Run notText = cli(new byte[] {(byte) 0xff, (byte) 0xfe}, "secret", "set", "BIN");
    assertEquals(2, notText.rc);
    assertTrue(notText.err.contains("not UTF-8"), notText.err);
    Run noName = cli(new byte[0], "secret", "rm");
    assertEquals(2, noName.rc);
    Run unknown = cli(new byte[0], "secret", "show", "API_KEY");
    assertEquals(2, unknown.rc);
    assertTrue(unknown.err.contains("unknown secret action 'show'"), unknown.err);
  }

  @Test
  void aBadSecretNameInRunIsAUsageError() {
    Run bad = cli(new byte[0], "run", "--secret", "X=bad-name", "true");
    assertEquals(2, bad.rc);
    assertTrue(bad.err.contains("--secret X=bad-name") && bad.err.contains("not a secret name"), bad.err);
  }
}
