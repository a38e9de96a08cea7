package io.heady.security;

import io.heady.agent.AgentState;
import io.heady.agent.api.NodeApiVerticle;
import io.heady.agent.executor.ExecutorVerticle;
import io.heady.common.exec.ProcessRunner;
import io.heady.common.exec.TaskSlots;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Dispatch;
import io.heady.common.identity.Seal;
import io.heady.common.node.Reports;
import io.heady.common.tls.ServerTls;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An agent's node API in this JVM, with real task slots and process runner, and no manager: the test plays
 * the manager with {@link #manager}, the seal holding this node's pair key.
 */
final class InProcessNode implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final NodeApiVerticle api;
  final TaskSlots slots;
  /** Results of dispatched (not executed) work, as the agent would report them to the manager. */
  final List<Completion> reported = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

  /** What the manager holds for this node: a seal with its pair key. */
  final Seal manager;

  InProcessNode(Path dir, String joinToken, String adminToken, boolean execute, int slotCount, int tailBytes,
      ServerTls tls) throws Exception {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    manager = new Seal(Seal.MANAGER, p -> "sec-node".equals(p) ? key : null, Clock.systemUTC(), Seal.DEFAULT_WINDOW);
    Seal own = Seal.node("sec-node", key, Clock.systemUTC());
    AgentState state = new AgentState("sec-node", "sec-node", "http", null, Map.of(), slotCount);
    ProcessRunner runner = new ProcessRunner(threads, timers);
    slots = new TaskSlots("sec-node", slotCount, runner, new TaskSlots.Settings(tailBytes, 1 << 20,
        Duration.ofSeconds(1), dir), new TaskSlots.Reporter() {
          @Override
          public void started(Dispatch d) {}

          @Override
          public void finished(Completion c) {
            reported.add(c);
          }
        }, Clock.systemUTC());
    ExecutorVerticle executor = new ExecutorVerticle(state, slots, new Reports(state.nodeId()), false, dir, own);
    vertx.deployVerticle(executor).await(20, TimeUnit.SECONDS);
    api = new NodeApiVerticle(state, executor, new NodeApiVerticle.Settings("127.0.0.1", 0, own,
        adminToken, execute, 64 * 1024, tls, 300_000));
    vertx.deployVerticle(api).await(20, TimeUnit.SECONDS);
  }

  /** The manager's {@code Authorization} value for one request (fresh each time: a seal opens once). */
  String seal(String method, String pathAndQuery, String body) {
    return manager.header(method, pathAndQuery, body == null ? new byte[0]
        : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "sec-node");
  }

  String url() {
    return "http://127.0.0.1:" + api.actualPort();
  }

  @Override
  public void close() throws Exception {
    slots.cancelAll();
    vertx.close().await(20, TimeUnit.SECONDS);
    threads.shutdownNow();
    timers.shutdownNow();
  }
}
