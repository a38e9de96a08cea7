package io.heady.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heady.client.DagHandle;
import io.heady.client.HeadyClient;
import io.heady.client.HeadyException;
import io.heady.client.NodeInfo;
import io.heady.client.OutputLine;
import io.heady.client.TaskHandle;
import io.heady.client.TaskRequest;
import io.heady.client.TaskResult;
import io.heady.client.TaskStatus;
import io.heady.client.WorkerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Java SDK against a real manager and agent: relayq's job.run, run_on_mac and worker_status. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkIT {
  private static final String AGENT = "sdk-agent";
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private Cluster cluster;
  private HeadyClient heady;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster().startManager();
    cluster.startAgent(AGENT, "--transport=eventbus", "--name=rpi", "--max-concurrent=4");
    cluster.awaitNode(AGENT, "active", LIMIT);
    heady = HeadyClient.connect(cluster.url(), cluster.adminToken);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void runEchoHiAwaitReturnsExitZeroAndItsOutput() {
    TaskResult r = heady.run("echo hi").await();
    assertEquals(TaskStatus.SUCCEEDED, r.status(), () -> r.json().encodePrettily());
    assertEquals(0, r.exitCode());
    assertEquals("hi\n", r.stdout());
    assertEquals("", r.stderr());
    assertEquals(AGENT, r.nodeId());
    assertTrue(r.durationMs() >= 0);
    assertTrue(r.succeeded());
  }

  @Test
  void followHandsOnEachLineWhileTheTaskRuns() {
    List<OutputLine> lines = new CopyOnWriteArrayList<>();
    List<Instant> arrived = new CopyOnWriteArrayList<>();
    TaskResult r = heady.run("for i in 1 2 3 4; do echo tick$i; echo warn$i >&2; sleep 1; done; printf end")
        .follow(Duration.ofSeconds(60), line -> {
          arrived.add(Instant.now());
          lines.add(line);
        });
    assertEquals(TaskStatus.SUCCEEDED, r.status(), () -> r.json().encodePrettily());
    List<String> out = lines.stream().filter(l -> !l.stderr()).map(OutputLine::text).toList();
    List<String> err = lines.stream().filter(OutputLine::stderr).map(OutputLine::text).toList();
    assertEquals(List.of("tick1", "tick2", "tick3", "tick4", "end"), out, lines::toString);
    assertEquals(List.of("warn1", "warn2", "warn3", "warn4"), err, lines::toString);
    Instant ended = heady.task(r.taskId()).finishedAt();
    assertTrue(arrived.get(0).isBefore(ended), () -> "the first line arrived at " + arrived.get(0)
        + ", the task ended at " + ended);
    assertTrue(arrived.get(lines.indexOf(new OutputLine("stdout", "tick3"))).isBefore(ended), lines::toString);
  }

  @Test
  void followOnTheManagersOwnExecutorKeepsTheStreamsApart() {
    List<OutputLine> lines = new CopyOnWriteArrayList<>();
    TaskResult r = heady.submit(TaskRequest.command("echo é-out; sleep 1; echo 日本-err >&2; exit 2")
        .type("deployment")).follow(LIMIT, lines::add);
    assertEquals("local", r.nodeId());
    assertEquals(2, r.exitCode());
    assertEquals(List.of(new OutputLine("stdout", "é-out"), new OutputLine("stderr", "日本-err")), lines);
  }

  @Test
  void aFailingCommandKeepsItsExitCode() {
    TaskResult r = heady.run("echo oops >&2; exit 3").await(LIMIT);
    assertEquals(TaskStatus.FAILED, r.status());
    assertEquals(3, r.exitCode());
    assertEquals("oops\n", r.stderr());
  }

  @Test
  void runOnANodeByName() {
    TaskResult r = heady.runOn("rpi", "echo on the pi").await(LIMIT);
    assertEquals(AGENT, r.nodeId());
    assertEquals("on the pi\n", r.stdout());
  }

  @Test
  void aCloudOnlyTypeRunsOnTheManagersExecutor() {
    TaskResult r = heady.submit(TaskRequest.command("echo deployed").type("deployment")).await(LIMIT);
    assertEquals(TaskStatus.SUCCEEDED, r.status());
    assertEquals("local", r.nodeId());
  }

  @Test
  void workerStatusShowsTheAgentOnline() {
    WorkerStatus w = heady.workerStatus();
    assertTrue(w.workers().containsKey("rpi"), () -> w.json().encodePrettily());
    assertTrue(w.workers().get("rpi").online());
    assertEquals(AGENT, w.workers().get("rpi").nodeId());
    assertTrue(w.online());
    assertTrue(w.onlineWorkers() >= 1);
    assertEquals(w.workers().get("rpi").tier().toLowerCase(java.util.Locale.ROOT), w.workers().get("rpi").type(),
        "with no type label, a worker's type is its tier");
    NodeInfo n = heady.nodes().stream().filter(x -> x.nodeId().equals(AGENT)).findFirst().orElseThrow();
    assertEquals("rpi", n.name());
    assertTrue(n.cpuCores() > 0);
    assertEquals(4, n.maxConcurrent());
  }

  @Test
  void aDagRunsInDependencyOrder() {
    DagHandle d = heady.submitDag(List.of(
        TaskRequest.command("echo fetched").id("sdk-fetch").build(),
        TaskRequest.command("echo encoded").id("sdk-encode").dependsOn("sdk-fetch").build()));
    assertNotNull(d.dagId());
    assertEquals(List.of("sdk-fetch", "sdk-encode"), d.tasks().stream().map(TaskHandle::id).toList());
    assertEquals(TaskStatus.WAITING, d.task("sdk-encode").submission().orElseThrow().status());
    List<TaskResult> rs = d.awaitAll(LIMIT);
    assertEquals(List.of(TaskStatus.SUCCEEDED, TaskStatus.SUCCEEDED), rs.stream().map(TaskResult::status).toList());
    var fetchedAt = heady.task("sdk-fetch").finishedAt();
    var encodeStarted = heady.task("sdk-encode").startedAt();
    assertFalse(encodeStarted.isBefore(fetchedAt), "the dependent started after its dependency finished");
  }

  @Test
  void awaitWithALimitTimesOutAndCancelEndsTheTask() {
    TaskHandle h = heady.run("sleep 60");
    try {
      HeadyException e = assertThrows(HeadyException.class, () -> h.await(Duration.ofMillis(300)));
      assertEquals(HeadyException.TIMEOUT, e.code());
      assertTrue(e.getMessage().contains(h.id()), e.getMessage());
      Poll.until("sleep running", LIMIT, () -> h.status() == TaskStatus.RUNNING);
      h.cancel();
      TaskResult r = h.await(LIMIT);
      assertEquals(TaskStatus.CANCELLED, r.status());
    } finally {
      cluster.admin.post("/api/cluster/tasks/" + h.id() + "/cancel", "{}");
    }
  }

  @Test
  void aWrongTokenIsAHeadyExceptionWithTheApiCode() {
    HeadyClient wrong = HeadyClient.connect(cluster.url(), "not-the-admin-token-123");
    HeadyException e = assertThrows(HeadyException.class, () -> wrong.run("echo never"));
    assertEquals(401, e.status());
    assertEquals("UNAUTHORIZED", e.code());
    assertTrue(e.unauthorized());
    assertEquals("the token is not valid for this cluster", e.getMessage());
    HeadyException following = assertThrows(HeadyException.class, () -> wrong.handle("t-any").follow(line -> { }));
    assertEquals(401, following.status(), "no follow without a valid token");
    HeadyException unknown = assertThrows(HeadyException.class, () -> heady.task("t-does-not-exist"));
    assertEquals(404, unknown.status());
    assertEquals("UNKNOWN_TASK", unknown.code());
  }

  @Test
  void idsArePathEncoded() {
    // a space and a slash reach the manager as one path segment, which names the id field as wrong
    HeadyException e = assertThrows(HeadyException.class, () -> heady.task("a b/c"));
    assertEquals(400, e.status(), e::getMessage);
    assertEquals("id", e.details().getString("field"), e.details()::encode);
  }

  @Test
  void aBadFieldIsRefusedWithItsName() {
    HeadyException e = assertThrows(HeadyException.class, () -> heady.submit(
        TaskRequest.command("echo x").type("no-such-type-needs-nothing").arch("sparc")));
    assertEquals(400, e.status());
    assertEquals("requires.arch", e.details().getString("field"), e.details().encode());
  }
}
