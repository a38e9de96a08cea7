package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.testing.RedisServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, the manager's side, with real processes: a task submitted with limits (through the real CLI) gets its
 * own limits over its type's defaults from the operator's {@code policy.json}, the agent takes that dispatch and
 * runs it, and the record, {@code heady task} and {@code heady nodes NODE} show limits, containment and usage;
 * bad limits are refused naming the field; all of it is still there after the manager is killed and restarted on
 * Redis.
 */
class LimitsIT {
  private static final String AGENT = "limits-agent";

  record Out(int rc, String out, String err) {
    @Override
    public String toString() {
      return "exit " + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @Test
  void limitsReachTheDispatchAndTheRecordShowsThemAndWhatTheTaskUsed() throws Exception {
    Path conf = HeadyProcess.tempDir("limits-conf-");
    Files.writeString(conf.resolve("policy.json"), """
        {"types": {"shell": {"limits": {"pids": 256, "output_mb": 5}},
                   "backup": {"limits": {"memory_mb": 128}, "allow_daemon": true}}}
        """);
    try (RedisServer redis = RedisServer.start(true, "always", null);
        Cluster c = new Cluster().startManager("--store=" + redis.url(), "--conf-dir=" + conf,
            "--offload-cpu-pct=101")) {
      c.startAgent(AGENT, "--transport=eventbus");
      c.awaitNode(AGENT, "active", Duration.ofSeconds(40));

      // the type's defaults are visible before anything runs
      JsonObject can = c.admin.get("/api/cluster/can-handle/shell").json();
      assertEquals(new JsonObject().put("pids", 256).put("output_mb", 5),
          can.getJsonObject("requirements").getJsonObject("limits"), can.encode());

      // through the real CLI: the task's limits over the type's, and the agent runs that dispatch
      Out run = cli(c, "run", "--memory", "64m", "--cpus", "0.5", "--on", AGENT, "--json",
          "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo contained");
      assertEquals(0, run.rc(), run::toString);
      String id = new JsonObject(run.out()).getString("task_id");
      JsonObject t = c.awaitFinished(id, Duration.ofSeconds(90));
      assertEquals("succeeded", t.getString("status"), () -> t.encode() + "\n" + c.logs());
      JsonObject effective = new JsonObject().put("memory_mb", 64).put("cpus", 0.5).put("pids", 256)
          .put("output_mb", 5);
      assertEquals(effective, t.getJsonObject("limits"), "the task's over its type's: " + t.encode());
      assertEquals(new JsonObject().put("memory_mb", 64).put("cpus", 0.5),
          t.getJsonObject("spec").getJsonObject("limits"), "what it asked for");
      JsonObject attempt = t.getJsonArray("attempts").getJsonObject(0);
      assertEquals("succeeded", attempt.getString("outcome"));
      assertEquals(AGENT, attempt.getString("node_id"));
      assertTrue(t.containsKey("usage") && t.containsKey("enforcement"), t.encode());

      // heady task ID: limits, then what the node said of containment and usage (an agent that does not measure
      // leaves usage out, and the view says so rather than showing -1)
      Out shown = cli(c, "task", id);
      assertEquals(0, shown.rc(), shown::toString);
      List<String> lines = shown.out().lines().toList();
      assertTrue(lines.contains("limits       64 MiB memory, 0.5 CPUs, 256 processes, 5 MiB output"), shown::toString);
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("contained    ")), shown::toString);
      JsonObject usage = t.getJsonObject("usage");
      if (usage != null) {
        assertTrue(lines.stream().anyMatch(l -> l.matches("cpu {10}\\d+\\.\\d\\d s user, \\d+\\.\\d\\d s system")),
            shown::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("peak memory  ")), shown::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("disk i/o     read ")), shown::toString);
      } else {
        assertTrue(lines.contains("usage        not measured (its node did not report what it used)"),
            shown::toString);
      }

      // heady nodes NODE and the API say how the node contains tasks ("unknown" from an agent that does not say)
      JsonObject node = c.admin.get("/api/cluster/nodes/" + AGENT).json();
      assertTrue(node.containsKey("containment"), node.encode());
      Out nodeShown = cli(c, "nodes", AGENT);
      assertEquals(0, nodeShown.rc(), nodeShown::toString);
      String containment = nodeShown.out().lines().filter(l -> l.startsWith("containment  ")).findFirst()
          .orElseThrow(() -> new AssertionError(nodeShown.toString()));
      JsonObject said = node.getJsonObject("containment");
      assertTrue(said == null ? containment.equals("containment  unknown (the node did not say)")
          : containment.startsWith("containment  " + said.getString("method")), containment);

      // a user and limits are kept as asked while a task waits (pinned to a node that is not there)
      JsonObject waiting = c.admin.post("/api/cluster/tasks/route", new JsonObject().put("type", "backup")
          .put("command", "true").put("node", "not-here").put("run_as", "backup-user")
          .put("limits", new JsonObject().put("pids", 16))).json();
      String waitingId = waiting.getString("task_id");
      JsonObject w = c.admin.get("/api/cluster/tasks/" + waitingId).json();
      assertEquals("backup-user", w.getJsonObject("spec").getString("run_as"));
      assertEquals(new JsonObject().put("memory_mb", 128).put("pids", 16), w.getJsonObject("limits"), w.encode());

      // bad values are refused with 400 naming the field, alone and in a DAG; the CLI refuses a bad size itself
      assertInvalid(c.admin.post("/api/cluster/tasks/route", new JsonObject().put("command", "true")
          .put("limits", new JsonObject().put("memory_mb", 1))), "limits.memory_mb");
      assertInvalid(c.admin.post("/api/cluster/tasks/route", new JsonObject().put("command", "true")
          .put("limits", new JsonObject().put("memory", 64))), "limits.memory");
      assertInvalid(c.admin.post("/api/cluster/tasks/route", new JsonObject().put("command", "true")
          .put("run_as", "Root; id")), "run_as");
      assertInvalid(c.admin.post("/api/cluster/tasks/route", new JsonObject().put("tasks", new JsonArray()
          .add(new JsonObject().put("id", "a").put("command", "true"))
          .add(new JsonObject().put("id", "b").put("command", "true").put("limits", new JsonObject()
              .put("cpus", "lots"))))), "tasks[1].limits.cpus");
      Out badSize = cli(c, "run", "--memory", "lots", "true");
      assertEquals(2, badSize.rc(), badSize::toString);
      assertTrue(badSize.err().startsWith("heady: ") && badSize.err().contains("'lots' is not a size"),
          badSize::toString);

      // a manager killed and restarted on the same Redis still has all of it
      c.restartManager();
      JsonObject after = c.admin.get("/api/cluster/tasks/" + id).json();
      assertNotNull(after, "the task is still there");
      assertEquals(effective, after.getJsonObject("limits"), after.encode());
      assertEquals(t.getJsonArray("attempts").getJsonObject(0).getValue("usage"),
          after.getJsonArray("attempts").getJsonObject(0).getValue("usage"));
      assertEquals(t.getValue("enforcement"), after.getValue("enforcement"));
      JsonObject w2 = c.admin.get("/api/cluster/tasks/" + waitingId).json();
      assertEquals("backup-user", w2.getJsonObject("spec").getString("run_as"));
      assertEquals(new JsonObject().put("memory_mb", 128).put("pids", 16), w2.getJsonObject("limits"));
      Api.Res cancel = c.admin.post("/api/cluster/tasks/" + waitingId + "/cancel", new JsonObject());
      assertEquals(200, cancel.status(), cancel.raw());
    }
  }

  private static void assertInvalid(Api.Res r, String field) {
    assertEquals(400, r.status(), r.raw());
    JsonObject e = r.json().getJsonObject("error");
    assertEquals("INVALID_FIELD", e.getString("code"), r.raw());
    assertEquals(field, e.getJsonObject("details").getString("field"), r.raw());
    // why: a DAG's message reads "tasks[1]: limits.cpus …"; either way it names the limit
    assertTrue(e.getString("message").contains(field.substring(field.indexOf("limits") < 0 ? 0
        : field.indexOf("limits"))), r.raw());
  }

  /** {@code java -jar heady.jar ARGS --url … --token …}, a separate process with a clean environment. */
  private static Out cli(Cluster c, String... args) throws IOException, InterruptedException {
    Path home = HeadyProcess.tempDir("limits-cli-");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home, "-jar", HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--url", c.url(), "--token", c.adminToken));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(home.resolve("out").toFile())
        .redirectError(home.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("XDG_CONFIG_HOME"));
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heady " + cmd + " did not finish in 90 s");
    }
    return new Out(p.exitValue(), Files.readString(home.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(home.resolve("err"), StandardCharsets.UTF_8));
  }
}
