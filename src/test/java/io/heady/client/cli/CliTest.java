package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI where no manager is needed: usage errors, help, an unreachable manager, the admin token on disk. What
 * it does with a manager is tested against a real one (e2e {@code CliAgainstManagerIT} and {@code CliIT}).
 */
class CliTest {
  @TempDir
  Path home;
  Map<String, String> env = new HashMap<>();
  boolean tty;

  record Run(int rc, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n", -1)).subList(0, err.split("\n", -1).length - 1);
    }
  }

  private Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), env, home,
        home.resolve("etc-cli.json"), tty, Clock.fixed(Instant.parse("2025-01-01T00:01:00Z"), ZoneOffset.UTC));
    int rc = Cli.run(args, ctx);
    Run r = new Run(rc, out.toString(), err.toString());
    assertFalse(r.err.contains("\tat "), () -> "a stack trace leaked:\n" + r.err);
    return r;
  }

  private static void assertOneErrorLine(Run r) {
    assertEquals(1, r.errLines().size(), () -> "expected one line on stderr, got:\n" + r.err);
    assertTrue(r.err.startsWith("heady: "), r.err);
  }

  @Test
  void anUnreachableManagerIsOneLine() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = cli("status", "--url", "http://127.0.0.1:" + port, "--token", "x");
    assertEquals(1, r.rc);
    assertOneErrorLine(r);
    assertTrue(r.err.contains("cannot reach the manager at http://127.0.0.1:" + port), r.err);
  }

  @Test
  void theNextPageOfTasksIsACommandWithTheSameFilters() {
    TasksCommand t = new TasksCommand();
    t.limit = 100;
    assertEquals("heady tasks --cursor 41:t-1", t.nextPage("41:t-1"));
    t.status = "failed";
    t.node = "mac mini";
    t.type = "build";
    t.limit = 20;
    t.oldestFirst = true;
    assertEquals("heady tasks --status failed --node 'mac mini' --type build --limit 20 --oldest-first --cursor 41:t-1",
        t.nextPage("41:t-1"));
    assertEquals("'it'\\''s'", TasksCommand.shellWord("it's"));
    t.since = "2026-12-07T21:00:00.5Z";
    t.until = "2026-12-07";
    assertEquals("heady tasks --status failed --node 'mac mini' --type build --since 2026-12-07T21:00:00.5Z "
        + "--until 2026-12-07 --limit 20 --oldest-first --cursor 41:t-1", t.nextPage("41:t-1"));
  }

  @Test
  void usageErrorsAreOneLineAndExitTwo() {
    String[][] bad = {
        {"frobnicate"},
        {"run"},
        {"run", "x", "--timeout", "soon"},
        {"run", "x", "--priority", "P9"},
        {"run", "x", "--label", "novalue"},
        {"run", "x", "--retries", "-1"},
        {"run", "x", "--bogus"},
        {"tasks", "--status", "done"},
        {"tasks", "--limit", "0"},
        {"tasks", "--type", "Not A Type"},
        {"tasks", "--oldest-first=maybe"},
        {"token", "steal"},
        {"token", "create", "wall", "--role", "viewer"},
        {"token", "create", "wall"},
        {"token", "create", "wall", "--access", "root"},
        {"token", "revoke"},
        {"token", "list", "extra"},
        {"token", "show", "--access", "viewer"},
        {"status", "--url", "ftp://x"},
    };
    for (String[] args : bad) {
      Run r = cli(args);
      assertEquals(2, r.rc, () -> String.join(" ", args) + " -> " + r.err);
      assertOneErrorLine(r);
    }
    assertTrue(cli("frobnicate").err.contains("unknown command 'frobnicate'"));
  }

  @Test
  void aTokensRoleIsAccessNotRole() {
    Run r = cli("token", "create", "wall", "--role", "viewer");
    assertEquals(2, r.rc);
    assertOneErrorLine(r);
    assertTrue(r.err.contains("--access") && r.err.contains("heady token create wall --access viewer"), r.err);
    assertTrue(r.out.isEmpty(), "nothing was created or started: " + r.out);
    Run missing = cli("token", "create", "wall");
    assertTrue(missing.err.contains("--access viewer|operator|admin"), missing.err);
  }

  @Test
  void helpListsTheCommands() {
    for (String[] args : new String[][] {{"help"}, {"--help"}}) {
      Run r = cli(args);
      assertEquals(0, r.rc);
      for (String c : List.of("run", "submit", "status", "nodes", "tasks", "task", "logs", "cancel", "drain",
          "explain", "workers", "token")) {
        assertTrue(r.out.contains("\n  " + c + " "), () -> c + " missing from:\n" + r.out);
      }
    }
    Run run = cli("run", "--help");
    assertEquals(0, run.rc);
    assertTrue(run.out.contains("--timeout"), run.out);
  }

  @Test
  void tokenShowPrintsTheManagersAdminToken() throws IOException {
    Path data = Files.createDirectories(home.resolve("data"));
    Files.writeString(data.resolve("admin.token"), "ha_secret_value_123\n");
    Files.writeString(data.resolve("join.token"), "hj_join_value_456\n");
    env.put("HEADY_DATA_DIR", data.toString());
    assertEquals("ha_secret_value_123\n", cli("token", "show").out);
    assertEquals("hj_join_value_456\n", cli("token", "show", "--join").out);
    Run where = cli("token");
    assertEquals(0, where.rc);
    assertFalse(where.out.contains("ha_secret_value_123"), "only 'show' prints the token: " + where.out);
    assertTrue(where.out.contains(data.resolve("admin.token").toString()), where.out);
    Run none = cli("token", "show", "--data-dir", home.resolve("nowhere").toString());
    assertEquals(1, none.rc);
    assertOneErrorLine(none);
  }
}
