package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.cli.Cli;
import io.heady.client.cli.CliContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CLI's commands, run in this process (so a test can say whether stderr is a terminal), against a real
 * manager and agent started from the jar: what each command sends shows in the records the manager keeps, and
 * what it prints comes from the manager's real answers. Parsing and usage errors, which never reach a manager,
 * are {@code CliTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliAgainstManagerIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private Cluster cluster;
  private Path home;
  private Map<String, String> env;
  private boolean tty;

  record Run(int rc, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent("cli-mac", "--transport=eventbus", "--name=mac", "--max-concurrent=4", "--label=site=home");
    cluster.awaitNode("cli-mac", "active", LIMIT);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void fresh() throws Exception {
    home = HeadyProcess.tempDir("cli-home-");
    env = new HashMap<>();
    tty = false;
  }

  private Run cli(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx = new CliContext(new PrintWriter(out), new PrintWriter(err), env, home,
        home.resolve("etc-cli.json"), tty, Clock.systemUTC(), new ByteArrayInputStream(stdin));
    int rc = Cli.run(args, ctx);
    Run r = new Run(rc, out.toString(), err.toString());
    assertFalse(r.err.contains("\tat "), () -> "a stack trace leaked:\n" + r.err);
    return r;
  }

  /** The command plus --url and --token for the test cluster. */
  private Run api(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", cluster.url(), "--token", cluster.adminToken));
    return cli(new byte[0], all.toArray(String[]::new));
  }

  private Run apiIn(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", cluster.url(), "--token", cluster.adminToken));
    return cli(stdin.getBytes(StandardCharsets.UTF_8), all.toArray(String[]::new));
  }

  private static void assertOneErrorLine(Run r) {
    assertEquals(1, r.errLines().size(), () -> "expected one line on stderr, got:\n" + r.err);
    assertTrue(r.err.startsWith("heady: "), r.err);
  }

  private JsonObject task(String id) {
    return cluster.admin.get("/api/cluster/tasks/" + id).json();
  }

  private static String id(String what) {
    return what + "-" + System.nanoTime();
  }

  @Test
  void runWaitPrintsTheTasksOutputAndExitsZero() {
    Run r = api("run", "echo hi", "--wait");
    assertEquals(0, r.rc, r.err);
    assertEquals("hi\n", r.out);
    assertEquals("", r.err, "no progress when stderr is not a terminal");
  }

  @Test
  void runWaitExitsWithTheTasksExitCodeAndSplitsItsStreams() {
    Run r = api("run", "echo some; echo bad thing >&2; exit 4", "--wait");
    assertEquals(4, r.rc);
    assertEquals("some\n", r.out);
    assertEquals("bad thing\n", r.err, "a failure with its own code adds no line of ours");
  }

  @Test
  void aTimedOutTaskExits124WithOneLineSayingSo() {
    String id = id("cli-timeout");
    Run r = api("run", "sleep 9", "--timeout", "1s", "--id", id, "--wait");
    assertEquals(124, r.rc, r.err);
    assertOneErrorLine(r);
    assertTrue(r.err.contains(id + " timed out"), r.err);
  }

  @Test
  void cancelledIs130AndSkippedIs1() throws Exception {
    String id = id("cli-cancel");
    CompletableFuture<Run> waiting = CompletableFuture.supplyAsync(() -> api("run", "sleep 60", "--id", id, "-w"));
    try {
      Poll.until(id + " running", LIMIT, () -> "running".equals(task(id).getString("status")));
      assertEquals(200, cluster.admin.post("/api/cluster/tasks/" + id + "/cancel", "{}").status());
      assertEquals(130, waiting.get(60, TimeUnit.SECONDS).rc);
    } finally {
      cluster.admin.post("/api/cluster/tasks/" + id + "/cancel", "{}");
    }
    String a = id("cli-fails");
    String b = id("cli-skipped");
    assertEquals(201, cluster.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", new JsonArray()
        .add(new JsonObject().put("id", a).put("command", "exit 1"))
        .add(new JsonObject().put("id", b).put("command", "echo never").put("depends_on", new JsonArray().add(a)))))
        .status());
    assertEquals(1, api("logs", "-f", b).rc);
    assertEquals("skipped", task(b).getString("status"));
  }

  @Test
  void progressIsShownOnATerminalAndClearedBeforeOutput() {
    tty = true;
    String id = id("cli-progress");
    Run r = api("run", "sleep 1; echo done", "--id", id, "-w");
    assertEquals(0, r.rc, r.err);
    assertEquals("done\n", r.out);
    // why: the line shows the task's state when the CLI last looked: dispatched or running, on its node
    assertTrue(r.err.matches("(?s).*heady: " + id + " (dispatched|running) on mac .*"), r.err);
    assertTrue(r.err.endsWith("\r\033[2K"), "the status line is cleared: " + r.err);
  }

  @Test
  void runFlagsBecomeTheTaskFields() {
    String id = id("cli-flags");
    Run r = api("run", "true", "--on", "mac", "--type", "build", "--priority", "p1", "--timeout", "90s",
        "--label", "site=home", "--env", "A=1", "--cwd", "/tmp", "--retries", "2", "--id", id);
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith(id + "  "), r.out);
    JsonObject spec = task(id).getJsonObject("spec");
    assertEquals("true", spec.getString("command"));
    assertEquals("mac", spec.getString("node"));
    assertEquals("build", spec.getString("type"));
    assertEquals("P1", spec.getString("priority"));
    assertEquals(90_000L, spec.getLong("timeout_ms"));
    assertEquals(new JsonObject().put("site", "home"), spec.getJsonObject("requires").getJsonObject("labels"));
    assertEquals(new JsonObject().put("A", "1"), spec.getJsonObject("env"));
    assertEquals("/tmp", spec.getString("cwd"));
    assertEquals(3, spec.getInteger("max_attempts"));
  }

  @Test
  void wordsAfterADoubleDashAreTheCommand() {
    String id = id("cli-dash");
    Run r = cli(new byte[0], "--url", cluster.url(), "--token", cluster.adminToken, "run", "--on", "mac", "--id", id,
        "--", "ls", "-la", "/tmp");
    assertEquals(0, r.rc, r.err);
    assertEquals("ls -la /tmp", task(id).getJsonObject("spec").getString("command"));
    assertEquals("mac", task(id).getJsonObject("spec").getString("node"));
  }

  @Test
  void runJsonPrintsTheApiAnswer() {
    Run r = api("run", "echo", "--json");
    JsonObject answer = new JsonObject(r.out);
    assertEquals(answer.getString("task_id"), task(answer.getString("task_id")).getString("task_id"));
    assertTrue(answer.containsKey("status"), r.out);
  }

  @Test
  void optionsMayComeBeforeTheCommandAndNodesJsonIsTheApisJson() {
    Run r = cli(new byte[0], "--url", cluster.url(), "--token", cluster.adminToken, "--json", "nodes");
    assertEquals(0, r.rc, r.err);
    JsonObject fromCli = new JsonObject(r.out);
    JsonObject fromApi = cluster.admin.get("/api/cluster/nodes").json();
    assertEquals(fromApi.getInteger("count"), fromCli.getInteger("count"));
    assertEquals(ids(fromApi), ids(fromCli));
  }

  private static List<String> ids(JsonObject nodes) {
    return nodes.getJsonArray("nodes").stream().map(o -> ((JsonObject) o).getString("node_id")).sorted().toList();
  }

  @Test
  void theNodesTableIsAligned() {
    Run t = api("nodes");
    assertEquals(0, t.rc, t.err);
    List<String> lines = t.out.lines().toList();
    assertTrue(lines.get(0).startsWith("NODE "), t.out);
    String mac = lines.stream().filter(l -> l.startsWith("cli-mac ")).findFirst().orElseThrow(() -> new AssertionError(
        t.out));
    String tier = cluster.node("cli-mac").getString("tier");
    assertEquals(lines.get(0).indexOf("TIER"), mac.indexOf(" " + tier + " ") + 1, t.out);
    assertTrue(mac.contains(" mac ") && mac.contains("active") && mac.endsWith("site=home"), t.out);
  }

  @Test
  void aWrongTokenIsOneLineAndExitsOne() {
    Run r = cli(new byte[0], "nodes", "--url", cluster.url(), "--token", "definitely-wrong-token");
    assertEquals(1, r.rc);
    assertOneErrorLine(r);
    assertTrue(r.err.contains("the token is not valid for this cluster"), r.err);
    assertTrue(r.err.contains("--token"), "says where the token came from: " + r.err);
    assertEquals("", r.out);
  }

  @Test
  void noTokenAtAllSaysWhereToPutOne() {
    Run r = cli(new byte[0], "status", "--url", cluster.url());
    assertEquals(1, r.rc);
    assertOneErrorLine(r);
    assertTrue(r.err.contains("no admin token"), r.err);
  }

  @Test
  void aTokenFromTheEnvironmentIsUsed() {
    env.put("HEADY_URL", cluster.url());
    env.put("HEADY_TOKEN", cluster.adminToken);
    Run r = cli(new byte[0], "workers");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.matches("(?s)\\d+/\\d+ workers online.*"), r.out);
    assertTrue(r.out.contains("mac"), r.out);
  }

  @Test
  void apiErrorsShowTheApiMessage() {
    Run r = api("task", "t-x");
    assertEquals(1, r.rc);
    assertEquals("heady: no task with id t-x\n", r.err);
  }

  @Test
  void explainFallsBackFromATaskToAType() {
    Run r = api("explain", "build");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.contains("mac"), r.out);
    assertTrue(r.out.contains("chosen"), r.out);
  }

  @Test
  void submitSendsAListFileAsADag() throws Exception {
    String a = id("cli-a");
    String b = id("cli-b");
    Path f = home.resolve("dag.json");
    Files.writeString(f, "[{\"id\":\"" + a + "\",\"command\":\"echo a\"},{\"id\":\"" + b + "\",\"command\":\"echo b\","
        + "\"depends_on\":[\"" + a + "\"]}]");
    Run r = api("submit", f.toString());
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith("dag ") && r.out.contains(": 2 tasks\n"), r.out);
    assertEquals(new JsonArray().add(a), task(b).getJsonArray("depends_on"));
    Files.writeString(f, "{not json");
    Run bad = api("submit", f.toString());
    assertEquals(2, bad.rc);
    assertOneErrorLine(bad);
    assertEquals(2, api("submit", home.resolve("missing.json").toString()).rc);
  }

  // ---- secrets -------------------------------------------------------------------------------------------

  @Test
  void secretSetReadsTheValueFromStandardInputDroppingOneNewline() throws Exception {
    Run r = apiIn("s3cr3t value\n", "secret", "set", "CLI_KEY");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith("secret CLI_KEY "), r.out);
    assertFalse(r.out.contains("s3cr3t"), r.out);
    assertEquals(sha256("s3cr3t value"), seenByATask("CLI_KEY"));
    assertEquals(0, apiIn("two lines\nkept\n\n", "secret", "set", "CLI_KEY").rc);
    assertEquals(sha256("two lines\nkept\n"), seenByATask("CLI_KEY"));
  }

  /** The secret's value as a task sees it, hashed (its output would show the value itself masked). */
  private String seenByATask(String name) {
    Run r = api("run", "--secret", name, "printf %s \"$" + name + "\" | sha256sum | cut -c1-64", "--wait");
    assertEquals(0, r.rc, r.err);
    return r.out.strip();
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void secretListShowsNamesAndRmRemoves() {
    assertEquals(0, apiIn("pw", "secret", "set", "CLI_DB_PASSWORD").rc);
    Run r = api("secret", "list");
    assertEquals(0, r.rc, r.err);
    assertTrue(r.out.startsWith("NAME "), r.out);
    assertTrue(r.out.lines().anyMatch(l -> l.startsWith("CLI_DB_PASSWORD ") && l.contains(" ago")), r.out);
    assertFalse(r.out.contains("pw\n"), r.out);
    Run rm = api("secret", "rm", "CLI_DB_PASSWORD");
    assertEquals(0, rm.rc, rm.err);
    assertEquals("secret CLI_DB_PASSWORD removed\n", rm.out);
    Run gone = api("secret", "rm", "CLI_GONE");
    assertEquals(1, gone.rc);
    assertTrue(gone.err.contains("CLI_GONE"), gone.err);
  }

  @Test
  void runSecretNamesTheSecretAsItsOwnVariableOrAnother() {
    assertEquals(0, apiIn("v", "secret", "set", "CLI_API_KEY").rc);
    String id = id("cli-secret");
    Run r = api("run", "--secret", "CLI_API_KEY", "--secret", "TOKEN=CLI_API_KEY", "--env", "MODE=prod", "--id", id,
        "true");
    assertEquals(0, r.rc, r.err);
    JsonObject spec = task(id).getJsonObject("spec");
    assertEquals(new JsonObject().put("CLI_API_KEY", "CLI_API_KEY").put("TOKEN", "CLI_API_KEY"),
        spec.getJsonObject("secrets"));
    assertEquals(new JsonObject().put("MODE", "prod"), spec.getJsonObject("env"));
  }
}
