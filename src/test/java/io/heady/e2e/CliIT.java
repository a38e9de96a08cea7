package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 7's "done when" for the CLI: the real jar run as a user runs it, as a separate process, against a real
 * manager and agent on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
  private static final String AGENT = "cli-agent";
  private static final String AGENT_NAME = "mac-mini";
  private Cluster cluster;
  private Path home;

  /** One CLI run: exit code, stdout, stderr. */
  record Out(int rc, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent(AGENT, "--transport=eventbus", "--name=" + AGENT_NAME, "--max-concurrent=4",
        "--label=site=home");
    cluster.awaitNode(AGENT, "active", Duration.ofSeconds(30));
    home = HeadyProcess.tempDir("cli-home-");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** {@code java -jar heady.jar ARGS} with a clean environment and an empty home. */
  private Out heady(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return heady(home, env, args);
  }

  /** {@code java -jar heady.jar ARGS} as a separate process with this home, no HEADY_ variables but {@code env}. */
  static Out heady(Path home, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home, "-jar",
        HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    return exec(cmd, env);
  }

  /** With --url and --token for the test cluster. */
  private Out cli(String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", cluster.url(), "--token", cluster.adminToken));
    return heady(Map.of(), all.toArray(String[]::new));
  }

  private static Out exec(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
    Path dir = HeadyProcess.tempDir("cli-run-");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
            "/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("XDG_CONFIG_HOME"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heady " + cmd + " did not finish in 90 s");
    }
    return new Out(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  @Test
  void runEchoHiWaitPrintsHiAndExitsZero() throws Exception {
    Out o = cli("run", "echo hi", "--wait");
    assertEquals(0, o.rc, o::toString);
    assertEquals("hi\n", o.out, o::toString);
    assertEquals("", o.err, o::toString);
  }

  @Test
  void runExit4WaitExits4() throws Exception {
    Out o = cli("run", "exit 4", "--wait");
    assertEquals(4, o.rc, o::toString);
    assertEquals("", o.out, o::toString);
  }

  @Test
  void theTasksStderrGoesToStderr() throws Exception {
    Out o = cli("run", "echo out; echo err >&2; exit 3", "--wait");
    assertEquals(3, o.rc, o::toString);
    assertEquals("out\n", o.out, o::toString);
    assertEquals("err\n", o.err, o::toString);
  }

  @Test
  void aRetryThatPrintsTheSameLineShowsItAgainAfterSayingSo() throws Exception {
    Path marker = HeadyProcess.tempDir("cli-retry-").resolve("tried");
    Out o = cli("run", "if [ -e " + marker + " ]; then echo same; else touch " + marker + "; echo same; exit 1; fi",
        "--retries", "1", "--wait");
    assertEquals(0, o.rc, o::toString);
    assertEquals("same\nsame\n", o.out, o::toString);
    assertTrue(o.err.contains("heady: attempt 2"), o::toString);
  }

  /** Prints a line a second on stdout and on stderr for 4 s. */
  private static final String TICKS = "for i in 1 2 3 4; do echo tick$i; echo warn$i >&2; sleep 1; done";

  /** The CLI with {@code args} (plus --url and --token) as a process whose lines are timed as they arrive. */
  private TimedLines live(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home, "-jar",
        HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--url", cluster.url(), "--token", cluster.adminToken));
    return new TimedLines(cmd);
  }

  /** The output arrived while the task ran, stdout on stdout and stderr on stderr, each line once, in order. */
  private void assertLive(TimedLines t, String id) {
    JsonObject task = cluster.awaitFinished(id, Duration.ofSeconds(60));
    java.time.Instant ended = java.time.Instant.parse(task.getString("finished_at"));
    assertEquals(List.of("tick1", "tick2", "tick3", "tick4"), t.out.stream().map(TimedLines.Line::text).toList(),
        t::toString);
    assertEquals(List.of("warn1", "warn2", "warn3", "warn4"), t.err.stream().map(TimedLines.Line::text)
        .filter(l -> l.startsWith("warn")).toList(), t::toString);
    java.time.Instant first = TimedLines.arrival(t.out, "tick1");
    java.time.Instant firstErr = TimedLines.arrival(t.err, "warn1");
    assertTrue(first.isBefore(ended), () -> "tick1 arrived at " + first + ", the task ended at " + ended);
    assertTrue(firstErr.isBefore(ended), () -> "warn1 arrived at " + firstErr + ", the task ended at " + ended);
    assertTrue(TimedLines.arrival(t.out, "tick3").isBefore(ended), t::toString);
  }

  @Test
  void logsFollowShowsEachLineAsTheTaskPrintsIt() throws Exception {
    String id = "cli-live-logs-" + System.nanoTime();
    Out submitted = cli("run", TICKS, "--id", id);
    assertEquals(0, submitted.rc, submitted::toString);
    TimedLines t = live("logs", "-f", id);
    assertEquals(0, t.await(90), t::toString);
    assertLive(t, id);
  }

  @Test
  void runWaitShowsEachLineAsTheTaskPrintsIt() throws Exception {
    String id = "cli-live-run-" + System.nanoTime();
    TimedLines t = live("run", TICKS, "--id", id, "--wait");
    assertEquals(0, t.await(90), t::toString);
    assertLive(t, id);
  }

  @Test
  void logsWithoutFollowKeepsStdoutAndStderrApart() throws Exception {
    String id = "cli-apart-" + System.nanoTime();
    assertEquals(0, cli("run", "echo o1; echo e1 >&2; echo o2", "--id", id, "--wait").rc);
    Out logs = cli("logs", id);
    assertEquals(0, logs.rc, logs::toString);
    assertEquals("o1\no2\n", logs.out, logs::toString);
    assertEquals("e1\n", logs.err, logs::toString);
  }

  @Test
  void nodesJsonParsesAndListsTheAgent() throws Exception {
    Out o = cli("nodes", "--json");
    assertEquals(0, o.rc, o::toString);
    JsonArray nodes = new JsonObject(o.out).getJsonArray("nodes");
    JsonObject agent = nodes.stream().map(JsonObject.class::cast).filter(n -> AGENT.equals(n.getString("node_id")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + AGENT + " in " + o.out));
    assertEquals(AGENT_NAME, agent.getString("name"));
    Out table = cli("nodes");
    assertEquals(0, table.rc, table::toString);
    assertTrue(table.out.startsWith("NODE "), table.out);
    assertTrue(table.out.lines().anyMatch(l -> l.startsWith(AGENT + " ") && l.contains(AGENT_NAME)
        && l.contains("site=home")), table.out);
  }

  @Test
  void aWrongTokenPrintsOneLineAndExitsNonZero() throws Exception {
    Out o = heady(Map.of(), "nodes", "--url", cluster.url(), "--token", "not-the-admin-token-123");
    assertNotEquals(0, o.rc, o::toString);
    assertEquals(1, o.errLines().size(), o::toString);
    assertTrue(o.err.startsWith("heady: the token is not valid for this cluster"), o::toString);
    assertEquals("", o.out);
    Out join = heady(Map.of(), "status", "--url", cluster.url(), "--token", cluster.joinToken);
    assertNotEquals(0, join.rc);
    assertEquals(1, join.errLines().size(), join::toString);
    assertTrue(join.err.contains("admin token"), join::toString);
  }

  @Test
  void runOnANamedNodeWithATypeAndLabel() throws Exception {
    Out o = cli("run", "echo pinned", "--on", AGENT_NAME, "--label", "site=home", "--type", "shell",
        "--priority", "P1", "--wait", "--json");
    assertEquals(0, o.rc, o::toString);
    JsonObject t = new JsonObject(o.out);
    assertEquals("succeeded", t.getString("status"));
    assertEquals(AGENT, t.getString("node_id"));
    assertEquals("P1", t.getString("priority"));
    assertEquals("pinned\n", t.getJsonObject("result").getString("stdout"));
  }

  @Test
  void aTimeoutExits124() throws Exception {
    Out o = cli("run", "sleep 30", "--timeout", "1s", "--wait");
    assertEquals(124, o.rc, o::toString);
    assertEquals(1, o.errLines().size(), o::toString);
    assertTrue(o.err.contains("timed out"), o::toString);
  }

  @Test
  void submitADagFileAndWait() throws Exception {
    Path ok = home.resolve("dag-ok.json");
    Files.writeString(ok, new JsonObject().put("tasks", new JsonArray()
        .add(new JsonObject().put("id", "cli-dag-a").put("command", "echo a"))
        .add(new JsonObject().put("id", "cli-dag-b").put("command", "echo b").put("depends_on",
            new JsonArray().add("cli-dag-a")))).encode());
    Out o = cli("submit", ok.toString(), "--wait");
    assertEquals(0, o.rc, o::toString);
    assertTrue(o.out.lines().anyMatch(l -> l.startsWith("cli-dag-b ") && l.contains("succeeded")), o::toString);

    Path bad = home.resolve("dag-bad.json");
    Files.writeString(bad, new JsonArray()
        .add(new JsonObject().put("id", "cli-bad-a").put("command", "exit 7"))
        .add(new JsonObject().put("id", "cli-bad-b").put("command", "echo never").put("depends_on",
            new JsonArray().add("cli-bad-a"))).encode());
    Out failed = cli("submit", bad.toString(), "--wait");
    assertEquals(7, failed.rc, failed::toString);
    assertTrue(failed.out.lines().anyMatch(l -> l.startsWith("cli-bad-b ") && l.contains("skipped")),
        failed::toString);
  }

  @Test
  void cancelARunningTask() throws Exception {
    Out submitted = cli("run", "sleep 60", "--json");
    assertEquals(0, submitted.rc, submitted::toString);
    String id = new JsonObject(submitted.out).getString("task_id");
    try {
      Poll.until("task " + id + " running", Duration.ofSeconds(20), () ->
          "running".equals(cluster.admin.get("/api/cluster/tasks/" + id).json().getString("status")));
      Out c = cli("cancel", id);
      assertEquals(0, c.rc, c::toString);
      assertTrue(c.out.startsWith(id + "  "), c::toString);
      Out waited = cli("logs", id, "-f");
      assertEquals(130, waited.rc, waited::toString);
    } finally {
      cluster.admin.post("/api/cluster/tasks/" + id + "/cancel", "{}");
    }
  }

  @Test
  void tasksTaskExplainStatusWorkers() throws Exception {
    Out run = cli("run", "echo listed", "--wait", "--json");
    String id = new JsonObject(run.out).getString("task_id");
    Out tasks = cli("tasks", "--status", "succeeded", "--limit", "1000");
    assertEquals(0, tasks.rc, tasks::toString);
    assertTrue(tasks.out.lines().anyMatch(l -> l.startsWith(id + " ")), tasks::toString);
    Out task = cli("task", id);
    assertEquals(0, task.rc, task::toString);
    assertTrue(task.out.contains("succeeded (exit 0)"), task::toString);
    Out explain = cli("explain", id);
    assertEquals(0, explain.rc, explain::toString);
    assertTrue(explain.out.lines().anyMatch(l -> l.contains(AGENT) && l.contains("chosen")), explain::toString);
    Out type = cli("explain", "deployment");
    assertEquals(0, type.rc, type::toString);
    assertTrue(type.out.lines().anyMatch(l -> l.contains(AGENT) && l.contains("location")), type::toString);
    Out status = cli("status");
    assertEquals(0, status.rc, status::toString);
    assertTrue(status.out.contains("nodes "), status::toString);
    Out workers = cli("workers");
    assertEquals(0, workers.rc, workers::toString);
    assertTrue(workers.out.lines().anyMatch(l -> l.startsWith(AGENT_NAME + " ") && l.contains("active")),
        workers::toString);
  }

  @Test
  void drainAndUndrain() throws Exception {
    try {
      Out d = cli("drain", AGENT);
      assertEquals(0, d.rc, d::toString);
      assertTrue(cluster.node(AGENT).getBoolean("drain"), "the node is draining");
      Out off = cli("drain", AGENT, "--off");
      assertEquals(0, off.rc, off::toString);
      assertEquals(false, cluster.node(AGENT).getBoolean("drain"));
    } finally {
      cluster.admin.post("/api/cluster/nodes/" + AGENT + "/drain", new JsonObject().put("enabled", false));
    }
  }

  @Test
  void namedTokensWithARoleFromTheCommandLine() throws Exception {
    Out made = cli("token", "create", "cli-wall", "--access", "viewer");
    assertEquals(0, made.rc, made::toString);
    String secret = made.out.lines().findFirst().orElseThrow();
    assertTrue(secret.startsWith("hn_") && made.out.contains("only time"), made.out);
    Out who = heady(Map.of(), "token", "--url", cluster.url(), "--token", secret);
    assertEquals(0, who.rc, who::toString);
    assertTrue(who.out.contains("viewer (named token 'cli-wall')"), who.out);
    Out admin = cli("token");
    assertTrue(admin.out.contains("admin (the admin token)"), admin.out);
    Out list = cli("token", "list");
    assertTrue(list.out.lines().anyMatch(l -> l.startsWith("cli-wall") && l.contains("viewer")), list.out);
    assertFalse(list.out.contains(secret), "a list never shows secrets");

    assertEquals(0, heady(Map.of(), "nodes", "--url", cluster.url(), "--token", secret).rc, "a viewer reads");
    Out run = heady(Map.of(), "run", "echo no", "--url", cluster.url(), "--token", secret);
    assertEquals(1, run.rc, run::toString);
    assertEquals(1, run.errLines().size(), run::toString);
    assertTrue(run.err.contains("operator role") && run.err.contains("'cli-wall' is a viewer"), run.err);

    Out revoke = cli("token", "revoke", "cli-wall");
    assertEquals(0, revoke.rc, revoke::toString);
    Out after = heady(Map.of(), "nodes", "--url", cluster.url(), "--token", secret);
    assertEquals(1, after.rc);
    assertTrue(after.err.contains("not valid"), after.err);
    assertEquals(1, cli("token", "revoke", "cli-wall").rc, "revoking twice says there is no such token");
  }

  @Test
  void aTokensRoleGivenAsRoleIsAUsageErrorNotAServer() throws Exception {
    Out o = cli("token", "create", "cli-x", "--role", "viewer");
    assertEquals(2, o.rc, o::toString); // a server would not have exited at all
    assertEquals(1, o.errLines().size(), o::toString);
    assertTrue(o.err.contains("--access"), o.err);
    assertFalse(cli("token", "list").out.contains("cli-x"), "nothing was created");
  }

  @Test
  void urlAndTokenFromTheEnvironmentAndTheManagersDataDir() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("HEADY_URL", cluster.url());
    env.put("HEADY_DATA_DIR", cluster.dataDir.toString());
    Out show = heady(env, "token", "show");
    assertEquals(0, show.rc, show::toString);
    assertEquals(cluster.adminToken + "\n", show.out);
    Out run = heady(env, "run", "echo from env", "--wait");
    assertEquals(0, run.rc, run::toString);
    assertEquals("from env\n", run.out);
  }

  @Test
  void theWrapperScriptRunsTheJar() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("HEADY_JAR", HeadyProcess.jar().toAbsolutePath().toString());
    env.put("HEADY_URL", cluster.url());
    env.put("HEADY_TOKEN", cluster.adminToken);
    env.put("HEADY_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("HEADY_JAVA_OPTS", "-Duser.home=" + home);
    Out o = exec(List.of("/bin/sh", Path.of("bin/heady").toAbsolutePath().toString(), "run", "echo wrapped",
        "--wait"), env);
    assertEquals(0, o.rc, o::toString);
    assertEquals("wrapped\n", o.out, o::toString);
    Out help = exec(List.of("/bin/sh", Path.of("bin/heady").toAbsolutePath().toString(), "--help"), env);
    assertEquals(0, help.rc, help::toString);
    assertTrue(help.out.contains("Commands:"), help::toString);
  }
}
