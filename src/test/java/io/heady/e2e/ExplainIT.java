package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Explanations that tell the truth, with the real jar: a manager (its local executor on) and one agent, the CLI
 * run as a user runs it. {@code heady explain} of a queued 64-core task names the cores check on every node and
 * never says it was placed; a task pinned to a draining node says, grouped by check, why every node turns it
 * away, in the API, {@code heady task} and {@code heady tasks}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainIT {
  private static final String AGENT = "explain-agent";
  private static final String AGENT_NAME = "rpi4";
  private Cluster cluster;
  private Path home;

  record Out(int rc, String out, String err) {
    @Override
    public String toString() {
      return "exit " + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent(AGENT, "--name=" + AGENT_NAME, "--max-concurrent=2");
    cluster.awaitNode(AGENT, "active", Duration.ofSeconds(40));
    Poll.until("the local executor and the agent listed", Duration.ofSeconds(30),
        () -> nodes().size() >= 2 && nodes().stream().allMatch(n -> "active".equals(n.getString("status"))));
    home = HeadyProcess.tempDir("explain-home-");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A node's name as a grouped reason names it (long ones are shortened). */
  private static String shortName(String name) {
    return name.length() > 24 ? name.substring(0, 23) + "…" : name;
  }

  private List<JsonObject> nodes() {
    List<JsonObject> out = new ArrayList<>();
    cluster.admin.get("/api/cluster/nodes").json().getJsonArray("nodes").forEach(o -> out.add((JsonObject) o));
    return out;
  }

  private Out cli(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + home, "-jar",
        HeadyProcess.jar().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--url", cluster.url(), "--token", cluster.adminToken));
    Path dir = HeadyProcess.tempDir("explain-run-");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
            "/dev/null")));
    pb.environment().keySet().removeIf(k -> k.startsWith("HEADY_") || k.equals("XDG_CONFIG_HOME"));
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("heady " + cmd + " did not finish in 90 s");
    }
    return new Out(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  @Test
  void explainOfAQueuedSixtyFourCoreTaskNamesTheCoresCheckOnEveryNode() throws Exception {
    String id = cluster.submit(new JsonObject().put("command", "make -j64")
        .put("requires", new JsonObject().put("cores", 64)));
    try {
      assertEquals("queued", cluster.admin.get("/api/cluster/tasks/" + id).json().getString("status"));
      Out text = cli("explain", id);
      assertEquals(0, text.rc, text::toString);
      assertTrue(text.out.startsWith("task " + id + " (") && text.out.contains(", P2): queued\nnot placed: "),
          text::toString);
      assertFalse(text.out.contains("placed on"), text::toString);
      assertTrue(text.out.contains("64 cores"), text::toString);
      List<JsonObject> all = nodes();
      for (JsonObject n : all) {
        assertTrue(text.out.lines().anyMatch(l -> l.contains(n.getString("node_id")) && l.contains(" no ")
            && l.contains("cores: needs 64 cores, node has " + n.getJsonObject("hardware").getInteger("cpu_cores"))),
            () -> n.getString("node_id") + " without its cores check:\n" + text);
      }

      Out json = cli("explain", id, "--json");
      assertEquals(0, json.rc, json::toString);
      JsonObject x = new JsonObject(json.out);
      assertFalse(x.getBoolean("placed"));
      assertEquals(64, x.getJsonObject("requirements").getInteger("cores"));
      JsonArray weighed = x.getJsonArray("nodes");
      assertEquals(all.size(), weighed.size(), "every node is weighed");
      for (Object o : weighed) {
        JsonObject n = (JsonObject) o;
        assertFalse(n.getBoolean("eligible"), n.encode());
        assertTrue(n.getJsonArray("failed").stream().anyMatch(f -> "cores".equals(((JsonObject) f).getString("check"))),
            n.encode());
      }
      String why = cluster.admin.get("/api/cluster/tasks/" + id).json().getString("waiting_reason");
      int most = all.stream().mapToInt(n -> n.getJsonObject("hardware").getInteger("cpu_cores")).max().orElse(0);
      assertTrue(why.startsWith("no node in the cluster can take this task: " + all.size() + " nodes"), why);
      assertTrue(why.endsWith(": needs 64 cores (has at most " + most + ")"), "every node under the cores check: "
          + why);
    } finally {
      cluster.admin.post("/api/cluster/tasks/" + id + "/cancel", "{}");
    }
  }

  @Test
  void aTaskPinnedToADrainingNodeSaysWhyEveryNodeTurnsItAwayGroupedByCheck() throws Exception {
    Out drain = cli("drain", AGENT);
    assertEquals(0, drain.rc, drain::toString);
    String id = null;
    try {
      id = cluster.submit(new JsonObject().put("command", "echo pinned").put("node", AGENT));
      List<String> others = nodes().stream().filter(n -> !AGENT.equals(n.getString("node_id")))
          .map(n -> n.getString("name")).map(ExplainIT::shortName).toList();
      String drained = "1 node (" + AGENT_NAME + "): draining";
      String pinned = others.size() + (others.size() == 1 ? " node" : " nodes")
          + (others.size() <= 3 ? " (" + String.join(", ", others) + ")" : "") + ": task is pinned to " + AGENT;
      // why: the larger group comes first; of two alike, the drain check (it comes first in placement)
      String want = "no eligible node: " + (others.size() > 1 ? pinned + "; " + drained : drained + "; " + pinned);
      String taskId = id;
      JsonObject task = Poll.until("the task queued with its reason", Duration.ofSeconds(20), () -> {
        JsonObject t = cluster.admin.get("/api/cluster/tasks/" + taskId).json();
        return want.equals(t.getString("waiting_reason")) ? t : null;
      });
      assertEquals("queued", task.getString("status"));

      Out show = cli("task", id);
      assertEquals(0, show.rc, show::toString);
      assertTrue(show.out.contains("waiting      " + want + "\n"), show::toString);

      Out list = cli("tasks", "--status", "queued");
      assertEquals(0, list.rc, list::toString);
      assertTrue(list.out.contains("why waiting: " + want + "  ("), list::toString);

      Out explain = cli("explain", id);
      assertEquals(0, explain.rc, explain::toString);
      assertTrue(explain.out.contains("not placed: " + want + "\n"), explain::toString);
      assertTrue(explain.out.lines().anyMatch(l -> l.contains(AGENT) && l.contains("drain: node is draining")),
          explain::toString);
    } finally {
      cli("drain", AGENT, "--off");
      if (id != null) {
        cluster.awaitFinished(id, Duration.ofSeconds(60));
      }
    }
  }
}
