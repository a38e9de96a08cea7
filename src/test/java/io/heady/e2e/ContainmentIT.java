package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue "Tasks run contained", with a real manager and a real agent: the memory limit ends a task
 * {@code out_of_memory} and the agent goes on, the pids limit holds while the node stays on time, a
 * {@code setsid} escape dies at the end and at cancel, tasks run as {@code heady-task} (when the test runs as
 * root) and cannot read the node's keys, and an attempt's CPU time and peak memory are measured. Needs control
 * groups (v1 on the build machine); skipped, saying why, on a machine whose agent reports none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainmentIT {
  private static final String NODE = "contained";
  private Cluster c;
  private Api node;
  private HeadyProcess agent;
  private JsonObject containment;
  private boolean root;

  @BeforeAll
  void start() throws Exception {
    root = "root".equals(System.getProperty("user.name"));
    if (root) {
      ensureTaskUser();
    }
    c = new Cluster().startManager("--heartbeat-sec=1", "--offload-cpu-pct=101");
    int port = HeadyProcess.freePort();
    // as root: the real default, heady-task (a flag, so it wins over the harness's HEADY_RUN_AS)
    List<String> args = new java.util.ArrayList<>(List.of("--transport=http", "--port=" + port, "--max-concurrent=4",
        "--execute-enabled", "--admin-token=" + c.adminToken));
    if (root) {
      args.add("--run-as=heady-task");
    }
    agent = c.startAgent(NODE, args.toArray(String[]::new));
    c.awaitNode(NODE, "active", Duration.ofSeconds(60));
    node = new Api("http://127.0.0.1:" + port, c.adminToken);
    Api.Res h = new Api("http://127.0.0.1:" + port, null).sealed(c.asManager(NODE), NODE, "GET", "/api/node/health",
        null);
    assertEquals(200, h.status(), h.raw());
    containment = h.json().getJsonObject("containment");
    System.out.println("ContainmentIT: the agent contains tasks with " + containment.encode());
  }

  @AfterAll
  void stop() throws Exception {
    if (c != null) {
      c.close();
    }
  }

  /** heady-task as the installer makes it; created here on a fresh machine. */
  private static void ensureTaskUser() throws Exception {
    if (run("getent", "passwd", "heady-task") == 0) {
      return;
    }
    int rc = run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "heady-task");
    assertTrue(rc == 0 || run("getent", "passwd", "heady-task") == 0, "useradd heady-task exited " + rc);
  }

  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
    return p.exitValue();
  }

  private void needGroups() {
    String method = containment.getString("method");
    assumeTrue(method.equals("cgroup1") || method.equals("cgroup2"), "this machine gives the agent no control"
        + " groups: " + containment.encode());
  }

  private String submit(String command, JsonObject limits) {
    JsonObject t = new JsonObject().put("command", command).put("node", NODE);
    if (limits != null) {
      t.put("limits", limits);
    }
    return c.submit(t);
  }

  private JsonObject finished(String id) {
    return c.awaitFinished(id, Duration.ofSeconds(90));
  }

  /** A unique number of seconds for sleep: it shows as the whole command line of that sleep. */
  private static String marker(int whole) {
    return whole + "." + (System.nanoTime() % 1_000_000_007L);
  }

  private static List<Long> sleeping(String marker) {
    return HeadyProcess.processesWith("sleep " + marker).stream().filter(pid -> {
      try {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
            .replace('\0', ' ').trim().equals("sleep " + marker);
      } catch (Exception gone) {
        return false;
      }
    }).toList();
  }

  private void nextTaskRuns() {
    JsonObject next = finished(submit("echo next", null));
    assertEquals("succeeded", next.getString("status"), next::encodePrettily);
    assertEquals("next\n", next.getJsonObject("result").getString("stdout"));
  }

  @Test
  void overItsMemoryATaskFailsOutOfMemoryAndTheAgentGoesOn() {
    needGroups();
    long t0 = System.nanoTime();
    String id = submit("dd if=/dev/zero of=/dev/null bs=256M count=1", new JsonObject().put("memory_mb", 64));
    JsonObject t = finished(id);
    System.out.println("ContainmentIT: 256 MB under memory_mb=64 ended " + t.getString("status") + " after "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms from submit: " + t.getString("reason"));
    assertEquals("failed", t.getString("status"), t::encodePrettily);
    assertTrue(t.getString("reason").startsWith("out_of_memory"), t.getString("reason"));
    assertTrue(t.getString("reason").contains("64 MiB"), t.getString("reason"));
    assertEquals(1, t.getJsonArray("attempts").size(), "a failure at a limit is not retried");
    assertEquals(137, t.getInteger("exit_code"), "killed by the kernel, and the record says why");
    assertTrue(agent.alive(), "the agent is up");
    assertEquals("active", c.node(NODE).getString("status"));
    nextTaskRuns();
  }

  @Test
  void thePidsLimitHoldsTheNodeStaysOnTimeAndNoSleepIsLeft() {
    needGroups();
    String m = marker(30);
    String id = submit("(i=0; while [ $i -lt 200 ]; do sleep " + m + " & i=$((i+1)); done) 2>/dev/null; sleep 4; "
        + "echo held", new JsonObject().put("pids", 32));
    Poll.until("the sleeps started", Duration.ofSeconds(30), () -> !sleeping(m).isEmpty());
    Instant before = Instant.parse(c.node(NODE).getString("last_heartbeat"));
    long t0 = System.nanoTime();
    JsonObject next = finished(submit("echo next", null));
    long nextMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    Instant after = Poll.until("a heartbeat during the task", Duration.ofSeconds(5), () -> {
      Instant hb = Instant.parse(c.node(NODE).getString("last_heartbeat"));
      return hb.isAfter(before) ? hb : null;
    });
    int[] most = {0};
    JsonObject t = Poll.until("the task to end (counting its sleeps meanwhile)", Duration.ofSeconds(60), () -> {
      most[0] = Math.max(most[0], sleeping(m).size());
      JsonObject r = c.admin.get("/api/cluster/tasks/" + id).json();
      return List.of("succeeded", "failed").contains(r.getString("status")) ? r : null;
    });
    System.out.println("ContainmentIT: 200 sleeps under pids=32: at most " + most[0] + " ran; the next task took "
        + nextMs + " ms; heartbeat " + before + " -> " + after + "; task " + t.getString("status"));
    assertTrue(most[0] > 0 && most[0] <= 32, "held at the limit: " + most[0]);
    assertEquals("succeeded", next.getString("status"));
    assertTrue(nextMs < 10_000, "the next task was on time: " + nextMs + " ms");
    assertEquals("held\n", t.getJsonObject("result").getString("stdout"), t::encodePrettily);
    assertEquals(List.of(), sleeping(m), "no sleep of the task is left");
  }

  @Test
  void aSetsidEscapeDiesWhenTheTaskEnds() {
    needGroups();
    String m = marker(151);
    JsonObject t = finished(submit("setsid sh -c \"exec sleep " + m + "\" >/dev/null 2>&1 </dev/null & echo left",
        null));
    assertEquals("succeeded", t.getString("status"), t::encodePrettily);
    assertEquals(List.of(), sleeping(m), "the escaped sleep died with the task's group");
  }

  @Test
  void aSetsidEscapeDiesWhenTheTaskIsCancelled() {
    needGroups();
    String m = marker(152);
    String id = submit("setsid sh -c \"exec sleep " + m + "\" >/dev/null 2>&1 </dev/null & exec sleep 120", null);
    Poll.until("the escape runs", Duration.ofSeconds(30), () -> sleeping(m).size() == 1);
    Api.Res r = c.admin.post("/api/cluster/tasks/" + id + "/cancel", new JsonObject());
    assertTrue(r.status() == 200 || r.status() == 202, r.raw());
    JsonObject t = finished(id);
    assertEquals("cancelled", t.getString("status"), t::encodePrettily);
    Poll.until("no process of the task remains", Duration.ofSeconds(10), () -> sleeping(m).isEmpty());
  }

  @Test
  void asRootTasksRunAsHeadyTaskAndCannotReadTheNodesKeys() {
    assumeTrue(root, "only a node running as root switches users");
    assertEquals("heady-task", containment.getString("user"));
    Path key = c.agentDir(NODE).resolve("identity").resolve(NODE).resolve("key.pem");
    Path admin = c.dataDir.resolve("admin.token");
    assertTrue(Files.isRegularFile(key) && Files.isRegularFile(admin));
    JsonObject t = finished(submit("id -u; id -un; cat " + key + " >/dev/null 2>&1 && echo KEY-READ || echo KEY-DENIED;"
        + " cat " + admin + " >/dev/null 2>&1 && echo TOKEN-READ || echo TOKEN-DENIED;"
        + " ls " + c.agentDir(NODE) + " >/dev/null 2>&1 && echo LISTED || echo NOT-LISTED;"
        + " echo half >> \"$HEADY_PROGRESS_FILE\" && echo PROGRESS-OK; pwd", null));
    assertEquals("succeeded", t.getString("status"), t::encodePrettily);
    String[] out = t.getJsonObject("result").getString("stdout").split("\n");
    assertNotEquals("0", out[0], "not root");
    assertEquals("heady-task", out[1]);
    assertEquals(List.of("KEY-DENIED", "TOKEN-DENIED", "NOT-LISTED", "PROGRESS-OK"), List.of(out).subList(2, 6));
    assertEquals(Path.of(out[6]).getParent().toString(), System.getProperty("java.io.tmpdir").replaceAll("/$", ""),
        "no cwd given: the task starts in its own private folder: " + out[6]);
  }

  @Test
  void aBusyTaskRecordsItsCpuSecondsAndPeakMemory() {
    needGroups();
    // why: bounded by its own CPU time (ulimit -t), so a busy build machine only makes it slower
    String busy = "sh -c 'ulimit -t 2; while :; do :; done'; true";
    // what the node reports for the attempt, from its own API (the same Completion it sends the manager)
    Api.Res r = node.post("/api/node/execute", new JsonObject().put("command", busy));
    assertEquals(200, r.status(), r.raw());
    JsonObject usage = r.json().getJsonObject("usage");
    JsonObject enf = r.json().getJsonObject("enforcement");
    System.out.println("ContainmentIT: 2 CPU seconds of work: usage " + usage.encode() + " under " + enf.encode());
    assertTrue(usage.getDouble("cpu_user_sec") + usage.getDouble("cpu_system_sec") >= 1.0, usage.encode());
    assertTrue(usage.getLong("peak_memory_bytes") > 0, usage.encode());
    assertEquals(containment.getString("method"), enf.getString("method"));
    assertEquals(containment.getString("user"), enf.getString("user"));
    // and dispatched through the manager: what it records, and /metrics
    JsonObject t = finished(submit(busy, null));
    assertEquals("succeeded", t.getString("status"), t::encodePrettily);
    JsonObject a = t.getJsonArray("attempts").getJsonObject(0);
    JsonObject stored = a.getJsonObject("usage");
    assertTrue(stored != null && stored.getDouble("cpu_user_sec") + stored.getDouble("cpu_system_sec") >= 1.0,
        a.encodePrettily());
    assertTrue(stored.getLong("peak_memory_bytes") > 0, stored.encode());
    assertEquals(containment.getString("method"), a.getJsonObject("enforcement").getString("method"));
    assertEquals(containment.getString("user"), a.getJsonObject("enforcement").getString("user"));
    String metrics = c.admin.get("/metrics").raw();
    double cpu = metrics.lines().filter(l -> l.startsWith("heady_task_cpu_seconds_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    assertTrue(cpu >= 1.0, "heady_task_cpu_seconds_total counts it: " + cpu);
    assertTrue(metrics.contains("heady_task_peak_memory_bytes_count"), "the peak memory histogram has it");
    assertEquals(containment.getString("method"), c.node(NODE).getJsonObject("containment").getString("method"),
        "the node record says how the node contains tasks");
  }
}
