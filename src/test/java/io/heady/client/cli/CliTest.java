package io.heady.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.FakeManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a scripted manager: what a user sees, and the exit codes. */
class CliTest {
  @TempDir
  Path home;
  FakeManager fake;
  Map<String, String> env = new HashMap<>();
  boolean tty;

  record Run(int rc, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n", -1)).subList(0, err.split("\n", -1).length - 1);
    }
  }

  @BeforeEach
  void start() throws IOException {
    fake = new FakeManager();
  }

  @AfterEach
  void stop() {
    fake.close();
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

  /** The command plus --url and --token for the fake manager. */
  private Run api(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", fake.url(), "--token", FakeManager.TOKEN));
    return cli(all.toArray(String[]::new));
  }

  private static void assertOneErrorLine(Run r) {
    assertEquals(1, r.errLines().size(), () -> "expected one line on stderr, got:\n" + r.err);
    assertTrue(r.err.startsWith("heady: "), r.err);
  }

  private void lifecycle(String id, JsonObject last) {
    fake.onJson("POST /api/cluster/tasks/route", 201, FakeManager.submitted(id, "queued").put("waiting_reason",
        "waiting for a free slot on an eligible node"));
    AtomicInteger looks = new AtomicInteger();
    fake.on("GET /api/cluster/tasks/" + id, r -> FakeManager.Answer.json(200, switch (looks.incrementAndGet()) {
      case 1 -> FakeManager.task(id, "queued", null, null, null);
      case 2 -> FakeManager.task(id, "running", null, null, null);
      default -> last;
    }));
  }

  @Test
  void runWaitPrintsTheTasksOutputAndExitsZero() {
    lifecycle("t-1", FakeManager.task("t-1", "succeeded", 0, "hi\n", ""));
    Run r = api("run", "echo hi", "--wait");
    assertEquals(0, r.rc, r.err);
    assertEquals("hi\n", r.out);
    assertEquals("", r.err, "no progress when stderr is not a terminal");
  }

  @Test
  void runWaitExitsWithTheTasksExitCodeAndSplitsItsStreams() {
    lifecycle("t-2", FakeManager.task("t-2", "failed", 4, "some\n", "bad thing\n"));
    Run r = api("run", "exit 4", "--wait");
    assertEquals(4, r.rc);
    assertEquals("some\n", r.out);
    assertEquals("bad thing\n", r.err, "a failure with its own code adds no line of ours");
  }

  @Test
  void aTimedOutTaskExits124WithOneLineSayingSo() {
    lifecycle("t-3", FakeManager.task("t-3", "timed_out", -1, "", "").put("reason", "timed out after 1000 ms"));
    Run r = api("run", "sleep 9", "--timeout", "1s", "--wait");
    assertEquals(124, r.rc);
    assertOneErrorLine(r);
    assertTrue(r.err.contains("t-3 timed out"), r.err);
  }

  @Test
  void cancelledIs130AndSkippedIs1() {
    lifecycle("t-4", FakeManager.task("t-4", "cancelled", null, "", ""));
    assertEquals(130, api("run", "sleep 9", "--wait").rc);
    lifecycle("t-5", FakeManager.task("t-5", "skipped", null, "", ""));
    assertEquals(1, api("run", "x", "--wait").rc);
  }

  @Test
  void progressIsShownOnATerminalAndClearedBeforeOutput() {
    tty = true;
    lifecycle("t-6", FakeManager.task("t-6", "succeeded", 0, "done\n", ""));
    Run r = api("run", "x", "-w");
    assertEquals("done\n", r.out);
    assertTrue(r.err.contains("t-6 queued: waiting for a free slot"), r.err);
    assertTrue(r.err.contains("t-6 running on n1"), r.err);
    assertTrue(r.err.endsWith("\r\033[2K"), "the status line is cleared: " + r.err);
  }

  @Test
  void runFlagsBecomeTheTaskFields() {
    fake.onJson("POST /api/cluster/tasks/route", 201, FakeManager.submitted("t-7", "dispatched"));
    Run r = api("run", "ffmpeg -version", "--on", "mac", "--type", "transcode", "--priority", "p1", "--timeout",
        "90s", "--label", "site=home", "--label", "disk=ssd", "--env", "A=1", "--cwd", "/tmp", "--retries", "2",
        "--id", "my-job");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith("t-7  dispatched on n1"), r.out);
    JsonObject body = new JsonObject(fake.requests("POST /api/cluster/tasks/route").get(0).body());
    assertEquals("ffmpeg -version", body.getString("command"));
    assertEquals("mac", body.getString("node"));
    assertEquals("transcode", body.getString("type"));
    assertEquals("P1", body.getString("priority"));
    assertEquals(90_000L, body.getLong("timeout_ms"));
    assertEquals(new JsonObject().put("site", "home").put("disk", "ssd"),
        body.getJsonObject("requires").getJsonObject("labels"));
    assertEquals(new JsonObject().put("A", "1"), body.getJsonObject("env"));
    assertEquals("/tmp", body.getString("cwd"));
    assertEquals(3, body.getInteger("max_attempts"));
    assertEquals("my-job", body.getString("id"));
  }

  @Test
  void wordsAfterADoubleDashAreTheCommand() {
    fake.onJson("POST /api/cluster/tasks/route", 201, FakeManager.submitted("t-10", "dispatched"));
    Run r = cli("--url", fake.url(), "--token", FakeManager.TOKEN, "run", "--on", "rpi", "--", "ls", "-la", "/tmp");
    assertEquals(0, r.rc, r.err);
    JsonObject body = new JsonObject(fake.requests("POST /api/cluster/tasks/route").get(0).body());
    assertEquals("ls -la /tmp", body.getString("command"));
    assertEquals("rpi", body.getString("node"));
  }

  @Test
  void runJsonPrintsTheApiAnswer() {
    JsonObject answer = FakeManager.submitted("t-8", "dispatched");
    fake.onJson("POST /api/cluster/tasks/route", 201, answer);
    Run r = api("run", "echo", "--json");
    assertEquals(answer, new JsonObject(r.out));
  }

  @Test
  void optionsMayComeBeforeTheCommand() {
    fake.onJson("GET /api/cluster/nodes", 200, new JsonObject().put("nodes", new JsonArray()).put("count", 0));
    Run r = cli("--url", fake.url(), "--token", FakeManager.TOKEN, "--json", "nodes");
    assertEquals(0, r.rc, r.err);
    assertEquals(0, new JsonObject(r.out).getInteger("count"));
  }

  @Test
  void nodesJsonIsExactlyTheApiJsonAndTheTableIsAligned() {
    JsonObject nodes = new JsonObject().put("count", 2).put("nodes", new JsonArray()
        .add(node("mac-mini", "POWERHOUSE", 12, 32.0).put("labels", new JsonObject().put("site", "home")))
        .add(node("rpi", "LIGHT", 4, 4.0)));
    fake.onJson("GET /api/cluster/nodes", 200, nodes);
    Run j = api("nodes", "--json");
    assertEquals(nodes, new JsonObject(j.out));
    Run t = api("nodes");
    assertEquals(0, t.rc);
    String[] lines = t.out.split("\n");
    assertEquals(3, lines.length, t.out);
    assertTrue(lines[0].startsWith("NODE      TIER        STATUS"), t.out);
    assertTrue(lines[1].startsWith("mac-mini  POWERHOUSE  active"), t.out);
    assertTrue(lines[1].endsWith("site=home"), t.out);
    assertEquals(lines[0].indexOf("TIER"), lines[2].indexOf("LIGHT"));
  }

  @Test
  void aWrongTokenIsOneLineAndExitsOne() {
    Run r = cli("nodes", "--url", fake.url(), "--token", "definitely-wrong-token");
    assertEquals(1, r.rc);
    assertOneErrorLine(r);
    assertTrue(r.err.contains("the token is not valid for this cluster"), r.err);
    assertTrue(r.err.contains("--token"), "says where the token came from: " + r.err);
    assertEquals("", r.out);
  }

  @Test
  void noTokenAtAllSaysWhereToPutOne() {
    Run r = cli("status", "--url", fake.url());
    assertEquals(1, r.rc);
    assertOneErrorLine(r);
    assertTrue(r.err.contains("no admin token"), r.err);
  }

  @Test
  void aTokenFromTheEnvironmentIsUsed() {
    fake.onJson("GET /api/cluster/workers", 200, new JsonObject().put("online", false).put("total_workers", 0)
        .put("total_active", 0).put("total_queued", 0).put("workers", new JsonObject()));
    env.put("HEADY_URL", fake.url());
    env.put("HEADY_TOKEN", FakeManager.TOKEN);
    Run r = cli("workers");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith("0/0 workers online"), r.out);
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
  void apiErrorsShowTheApiMessage() {
    fake.onJson("GET /api/cluster/tasks/t-x", 404, FakeManager.error("UNKNOWN_TASK", "no task with id t-x"));
    Run r = api("task", "t-x");
    assertEquals(1, r.rc);
    assertEquals("heady: no task with id t-x\n", r.err);
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
  void logsSplitsStdoutAndStderr() {
    fake.onJson("GET /api/cluster/tasks/t-9/log", 200, new JsonObject().put("task_id", "t-9").put("status",
        "succeeded").put("stdout", "out\n").put("stderr", "err\n"));
    Run r = api("logs", "t-9");
    assertEquals(0, r.rc);
    assertEquals("out\n", r.out);
    assertEquals("err\n", r.err);
  }

  @Test
  void explainFallsBackFromATaskToAType() {
    fake.onJson("GET /api/cluster/tasks/transcode", 404, FakeManager.error("UNKNOWN_TASK", "no task"));
    fake.onJson("GET /api/cluster/can-handle/transcode", 200, new JsonObject().put("type", "transcode")
        .put("known_type", true).put("can_handle", true).put("eligible_nodes", new JsonArray().add("mac"))
        .put("best_node", new JsonObject().put("node_id", "mac").put("name", "mac").put("score", 80.5))
        .put("summary", "placed on mac (score 81)").put("explain", new JsonArray()
            .add(new JsonObject().put("node_id", "mac").put("tier", "POWERHOUSE").put("eligible", true)
                .put("chosen", true).put("score", 80.5).put("breakdown", new JsonObject().put("capability", 20)
                    .put("tier", 30)))
            .add(new JsonObject().put("node_id", "rpi").put("tier", "LIGHT").put("eligible", false)
                .put("failed_check", "cores").put("reason", "needs 4 cores, node has 4"))));
    Run r = api("explain", "transcode");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.contains("best now mac (score 80.5)"), r.out);
    assertTrue(r.out.contains("chosen  score 80.5 = capability 20 + tier 30"), r.out);
    assertTrue(r.out.contains("no      cores: needs 4 cores"), r.out);
  }

  @Test
  void submitSendsAListFileAsADag() throws IOException {
    Path f = home.resolve("dag.json");
    Files.writeString(f, "[{\"id\":\"a\",\"command\":\"echo a\"},{\"id\":\"b\",\"command\":\"echo b\","
        + "\"depends_on\":[\"a\"]}]");
    fake.onJson("POST /api/cluster/tasks/route", 201, new JsonObject().put("dag_id", "dag-1").put("tasks",
        new JsonArray().add(FakeManager.submitted("a", "dispatched")).add(FakeManager.submitted("b", "waiting"))));
    Run r = api("submit", f.toString());
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith("dag dag-1: 2 tasks\n"), r.out);
    JsonObject body = new JsonObject(fake.requests("POST /api/cluster/tasks/route").get(0).body());
    assertEquals(2, body.getJsonArray("tasks").size());
    Files.writeString(f, "{not json");
    Run bad = api("submit", f.toString());
    assertEquals(2, bad.rc);
    assertOneErrorLine(bad);
    assertEquals(2, api("submit", home.resolve("missing.json").toString()).rc);
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

  private static JsonObject node(String id, String tier, int cores, double ram) {
    return new JsonObject().put("node_id", id).put("name", id).put("tier", tier).put("status", "active")
        .put("location", "physical").put("hardware", new JsonObject().put("cpu_cores", cores).put("ram_gb", ram))
        .put("max_concurrent", 2).put("running", 0).put("reliability_score", 100);
  }
}
