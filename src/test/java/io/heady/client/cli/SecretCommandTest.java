package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.FakeManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heady secret} and {@code heady run --secret} against a scripted answer: the value goes from standard input
 * into the request body (never the command line), listings show names and ages, bad input is a usage error.
 */
class SecretCommandTest {
  @TempDir
  Path home;
  FakeManager fake;

  record Run(int rc, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    fake = new FakeManager();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private Run cli(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", fake.url(), "--token", FakeManager.TOKEN));
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
  void setReadsTheValueFromStandardInputDroppingOneNewline() {
    fake.onJson("PUT /api/cluster/secrets/API_KEY", 201, new JsonObject().put("name", "API_KEY")
        .put("created_at", "2025-01-01T00:00:00Z").put("updated_at", "2025-01-01T00:00:00Z").put("created", true));
    Run r = cli(utf8("s3cr3t value\n"), "secret", "set", "API_KEY");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith("secret API_KEY created"), r.out);
    assertFalse(r.out.contains("s3cr3t"), r.out);
    FakeManager.Request req = fake.requests("PUT /api/cluster/secrets/API_KEY").get(0);
    assertEquals(new JsonObject().put("value", "s3cr3t value"), new JsonObject(req.body()));

    cli(utf8("two lines\nkept\n\n"), "secret", "set", "API_KEY");
    assertEquals("two lines\nkept\n", new JsonObject(fake.requests("PUT /api/cluster/secrets/API_KEY").get(1).body())
        .getString("value"), "only the last newline goes");
    cli(utf8("with newline\n"), "secret", "set", "API_KEY", "--keep-newline");
    assertEquals("with newline\n", new JsonObject(fake.requests("PUT /api/cluster/secrets/API_KEY").get(2).body())
        .getString("value"));
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
    assertTrue(fake.requests.isEmpty(), "nothing reached the manager");
  }

  @Test
  void listShowsNamesAndAgesAndRmRemoves() {
    fake.onJson("GET /api/cluster/secrets", 200, new JsonObject().put("count", 1).put("secrets", new JsonArray()
        .add(new JsonObject().put("name", "DB_PASSWORD").put("created_at", "2025-01-01T00:00:00Z")
            .put("updated_at", "2025-01-01T00:00:30Z"))));
    Run r = cli(new byte[0], "secret", "list");
    assertEquals(0, r.rc, r.err);
    assertEquals(List.of("NAME         CREATED    UPDATED", "DB_PASSWORD  1m00s ago  30s ago"), r.out.lines().toList());
    fake.onJson("DELETE /api/cluster/secrets/DB_PASSWORD", 200, new JsonObject().put("name", "DB_PASSWORD")
        .put("removed", true));
    Run rm = cli(new byte[0], "secret", "rm", "DB_PASSWORD");
    assertEquals(0, rm.rc, rm.err);
    assertEquals("secret DB_PASSWORD removed\n", rm.out);
    fake.onJson("DELETE /api/cluster/secrets/GONE", 404, FakeManager.error("NOT_FOUND", "no secret named GONE"));
    Run gone = cli(new byte[0], "secret", "rm", "GONE");
    assertEquals(1, gone.rc);
    assertTrue(gone.err.contains("no secret named GONE"), gone.err);
  }

  @Test
  void runSecretNamesTheSecretAsItsOwnVariableOrAnother() {
    fake.onJson("POST /api/cluster/tasks/route", 201, FakeManager.submitted("t-s", "dispatched"));
    Run r = cli(new byte[0], "run", "--secret", "API_KEY", "--secret", "TOKEN=API_KEY", "--env", "MODE=prod",
        "deploy.sh");
    assertEquals(0, r.rc, r.err);
    JsonObject body = new JsonObject(fake.requests("POST /api/cluster/tasks/route").get(0).body());
    assertEquals(new JsonObject().put("API_KEY", "API_KEY").put("TOKEN", "API_KEY"), body.getJsonObject("secrets"));
    assertEquals(new JsonObject().put("MODE", "prod"), body.getJsonObject("env"));
    Run bad = cli(new byte[0], "run", "--secret", "X=bad-name", "true");
    assertEquals(2, bad.rc);
    assertTrue(bad.err.contains("--secret X=bad-name") && bad.err.contains("not a secret name"), bad.err);
  }
}
