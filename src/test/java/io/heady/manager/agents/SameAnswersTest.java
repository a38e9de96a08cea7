package io.heady.manager.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heady.agent.AgentState;
import io.heady.agent.api.NodeApiVerticle;
import io.heady.agent.executor.ExecutorVerticle;
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.hardware.HardwareProbe;
import io.heady.common.identity.Seal;
import io.heady.common.node.NodeExecutor;
import io.heady.common.node.Reports;
import io.heady.common.protocol.Dispatch;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Registration;
import io.heady.manager.local.LocalExecutorVerticle;
import io.heady.manager.node.NodeRecord;
import io.heady.manager.placement.Policy;
import io.heady.manager.scheduler.EventJournal;
import io.heady.manager.scheduler.IdSource;
import io.heady.manager.scheduler.Scheduler;
import io.heady.manager.scheduler.SchedulerSettings;
import io.heady.manager.scheduler.SchedulerVerticle;
import io.heady.manager.store.MemoryClusterStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One agent protocol: the manager's local executor answers what the manager sends it exactly as an agent does,
 * whether the agent is reached over the event bus or over its node API. Each executor is heady's own, built
 * as the manager and the agent build them (the local executor registered with a real scheduler), reached
 * through the manager's own transports; all three get the same sequence and must answer it the same way.
 */
class SameAnswersTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final long TIMEOUT_S = 30;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
  private final List<TaskSlots> allSlots = new ArrayList<>();
  private Seal managerSeal;
  private final Map<String, byte[]> pairKeys = new LinkedHashMap<>();

  @BeforeEach
  void seals() {
    managerSeal = new Seal(Seal.MANAGER, pairKeys::get, CLOCK, Seal.DEFAULT_WINDOW);
  }

  @AfterEach
  void close() throws Exception {
    allSlots.forEach(TaskSlots::cancelAll);
    vertx.close().await(20, TimeUnit.SECONDS);
    threads.shutdownNow();
    timers.shutdownNow();
  }

  /** An agent as {@code Session} builds one: task slots reporting to its outbox, the executor, the node API. */
  private record Agent(ExecutorVerticle executor, NodeApiVerticle api) {}

  private Agent agent(String nodeId, boolean eventBus) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    pairKeys.put(nodeId, key);
    Seal own = Seal.node(nodeId, key, CLOCK);
    Path logs = Files.createDirectories(dir.resolve(nodeId));
    Reports reports = new Reports(nodeId);
    TaskSlots slots = new TaskSlots(nodeId, 1, new ProcessRunner(threads, timers), settings(logs),
        NodeExecutor.reporter(reports), CLOCK);
    allSlots.add(slots);
    AgentState state = new AgentState(nodeId, nodeId, eventBus ? "eventbus" : "http", null, Map.of(), 1);
    ExecutorVerticle executor = new ExecutorVerticle(state, slots, reports, eventBus, logs, own);
    vertx.deployVerticle(executor).await(TIMEOUT_S, TimeUnit.SECONDS);
    NodeApiVerticle api = new NodeApiVerticle(state, executor, "127.0.0.1", 0, own, 64 * 1024);
    vertx.deployVerticle(api).await(TIMEOUT_S, TimeUnit.SECONDS);
    return new Agent(executor, api);
  }

  private static TaskSlots.Settings settings(Path logs) {
    return new TaskSlots.Settings(4096, 1 << 20, Duration.ofSeconds(1), logs);
  }

  /** The local executor as the manager deploys it: one slot, registered with the scheduler, then attached. */
  private LocalTransport local() throws Exception {
    SchedulerSettings ss = SchedulerSettings.defaults();
    SchedulerVerticle scheduler = new SchedulerVerticle(CLOCK, new MemoryClusterStore(), ss,
        sink -> new Scheduler(ss, Policy.builtIn(), sink, new IdSource()), 1000, new EventJournal(100), managerSeal);
    vertx.deployVerticle(scheduler).await(TIMEOUT_S, TimeUnit.SECONDS);
    HardwareProbe probe = HardwareProbe.system(dir);
    Hardware hw = probe.detect();
    LocalExecutorVerticle executor = new LocalExecutorVerticle(scheduler, new ProcessRunner(threads, timers),
        settings(Files.createDirectories(dir.resolve("local"))), probe, hw, 1, 60_000, CLOCK);
    LocalTransport transport = new LocalTransport();
    transport.attach(executor);
    vertx.deployVerticle(executor).await(TIMEOUT_S, TimeUnit.SECONDS);
    allSlots.add(executor.core().slots());
    return transport;
  }

  private static NodeRecord node(String nodeId, String transport, String url, String location) {
    Hardware hw = new Hardware("test cpu", 4, 4, 8, null, 0, 100, "linux", "x86_64");
    return new NodeRecord(new Registration(nodeId, nodeId, transport, url, hw, List.of(), Map.of(), 1, null,
        List.of(), "test"), location, Instant.now());
  }

  private static Dispatch sleep(String taskId, String leaseId) {
    return new Dispatch(taskId, leaseId, 1, "shell", "P2", "sleep 60", List.of(), Map.of(), null, 120_000, false, null);
  }

  /**
   * The protocol's answers through one transport: a new attempt, the same attempt again (a duplicate), another
   * lease of a task the node runs, a task beyond its one slot, a batch of both, and what its health says it
   * holds.
   */
  private List<Object> answers(AgentTransport t, NodeRecord n) throws Exception {
    List<Object> out = new ArrayList<>();
    out.add(status(t, n, List.of(sleep("t1", "l1"))));
    out.add(status(t, n, List.of(sleep("t1", "l1"))));
    out.add(status(t, n, List.of(sleep("t1", "l2"))));
    out.add(status(t, n, List.of(sleep("t2", "l3"))));
    out.add(status(t, n, List.of(sleep("t1", "l1"), sleep("t3", "l4"))));
    out.add(t.health(n).await(TIMEOUT_S, TimeUnit.SECONDS).getJsonArray("running_task_ids").getList());
    t.cancel(n, "t1", "l1").await(TIMEOUT_S, TimeUnit.SECONDS);
    return out;
  }

  private static List<Integer> status(AgentTransport t, NodeRecord n, List<Dispatch> batch) throws Exception {
    Map<String, AgentTransport.Answer> a = t.dispatch(n, batch).await(TIMEOUT_S, TimeUnit.SECONDS);
    return batch.stream().map(d -> a.get(d.taskId()).status()).toList();
  }

  @Test
  void theLocalExecutorAnswersAsAnAgentDoesOverTheBusAndOverHttp() throws Exception {
    agent("bus-agent", true);
    Agent onHttp = agent("http-agent", false);
    LocalTransport local = local();
    BusTransport bus = new BusTransport(vertx.eventBus(), managerSeal, 10_000);
    HttpTransport http = new HttpTransport(WebClient.create(vertx), managerSeal, 10_000);

    List<Object> viaBus = answers(bus, node("bus-agent", "eventbus", null, NodeRecord.PHYSICAL));
    List<Object> viaHttp = answers(http, node("http-agent", "http", "http://127.0.0.1:" + onHttp.api().actualPort(),
        NodeRecord.PHYSICAL));
    List<Object> viaLocal = answers(local, node(LocalExecutorVerticle.NODE_ID, "eventbus", null, NodeRecord.CLOUD));

    List<Object> expected = List.of(List.of(202), List.of(409), List.of(429), List.of(429), List.of(409, 429),
        List.of("t1"));
    assertEquals(expected, viaBus, "an event-bus agent");
    assertEquals(expected, viaHttp, "an http agent");
    assertEquals(viaBus, viaLocal, "the local executor answers as the agents do: a duplicate is 409, not accepted");
  }
}
