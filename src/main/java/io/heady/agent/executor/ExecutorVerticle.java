package io.heady.agent.executor;

import io.heady.agent.AgentState;
import io.heady.common.exec.TaskSlots;
import io.heady.common.identity.Seal;
import io.heady.common.node.DispatchAnswer;
import io.heady.common.node.NodeExecutor;
import io.heady.common.node.Reports;
import io.heady.common.protocol.Addresses;
import io.heady.common.protocol.SignedBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The agent's executor: the node's {@link NodeExecutor} (its task slots and pending results, which belong to
 * the agent, not to this verticle, so they survive a new transport session) and, for an event-bus agent, the
 * consumers of the node's bus addresses in front of it. The node API ({@code NodeApiVerticle}) is the same
 * core's HTTP front.
 */
public final class ExecutorVerticle extends VerticleBase {
  private final AgentState state;
  private final NodeExecutor core;
  private final boolean eventBus;
  private final Seal seal;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  /**
   * @param slots the node's task slots, reporting to {@code reports}
   * @param eventBus whether to answer on the node's event-bus addresses (an event-bus agent)
   * @param logDir where the slots keep task logs
   */
  public ExecutorVerticle(AgentState state, TaskSlots slots, Reports reports, boolean eventBus, Path logDir,
      Seal seal) {
    this.state = state;
    this.core = new NodeExecutor(state.nodeId(), slots, reports, logDir);
    this.eventBus = eventBus;
    this.seal = seal;
  }

  @Override
  public Future<?> start() {
    return eventBus ? subscribe() : Future.succeededFuture();
  }

  /**
   * The node's addresses on the bus. Only the manager's sealed messages open (this node's seal holds no
   * other key), so no other member can make this node run or stop anything.
   */
  private Future<?> subscribe() {
    var bus = vertx.eventBus();
    String id = state.nodeId();
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeDispatch(id), seal, (from, body) -> {
      DispatchAnswer a = core.admit(body);
      return a.accepted() ? Future.succeededFuture(a.toJson())
          : Future.failedFuture(new SignedBus.StatusException(a.status(), a.message()));
    }));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeDispatchBatch(id), seal,
        (from, body) -> Future.succeededFuture(core.admitBatch(body))));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeCancel(id), seal,
        (from, b) -> Future.succeededFuture(core.cancelAnswer(b.getString("task_id"), b.getString("lease_id")))));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeHealth(id), seal,
        (from, b) -> Future.succeededFuture(health())));
    consumers.add(SignedBus.consumer(bus, false, Addresses.nodeLog(id), seal,
        (from, b) -> core.readLog(vertx, b.getString("task_id", ""), b.getLong("offset", 0L),
            b.getInteger("max", 65536))));
    List<Future<Void>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    // why: the manager dispatches as soon as the node registers; registering before these subscriptions
    // have reached the whole cluster would make the first dispatches fail with NO_HANDLERS
    return Future.all(ready);
  }

  /**
   * Subscribes the node's addresses again (the manager found them missing from the cluster's map while the
   * node was alive: someone removed them).
   */
  public Future<?> resubscribe() {
    if (!eventBus) {
      return Future.succeededFuture();
    }
    List<MessageConsumer<Object>> old = new ArrayList<>(consumers);
    consumers.clear();
    List<Future<Void>> gone = new ArrayList<>();
    old.forEach(c -> gone.add(c.unregister()));
    return Future.join(gone).transform(ar -> subscribe());
  }

  /** The node's protocol core, shared with the node API. */
  public NodeExecutor core() {
    return core;
  }

  /** Running tasks plus results not yet acknowledged: what the heartbeat tells the manager this node holds. */
  public List<String> heldTaskIds() {
    return core.heldTaskIds();
  }

  public int running() {
    return core.slots().running();
  }

  /** The manager's slot count for this node (from registration). */
  public void limit(int max) {
    core.slots().limit(max);
  }

  /** The most dispatches the manager may queue here beyond the slots (from registration; 0: none). */
  public void prefetch(int max) {
    core.slots().prefetch(max);
  }

  public TaskSlots slots() {
    return core.slots();
  }

  public Reports reports() {
    return core.reports();
  }

  /** The health answer: the core's account of its tasks, with what the agent knows of itself. */
  public JsonObject health() {
    JsonObject hw = state.hardware() == null ? new JsonObject() : state.hardware().toJson();
    return core.health()
        .put("name", state.name())
        .put("status", state.status())
        .put("tier", state.tier())
        .put("transport", state.transport())
        .put("registered", state.isRegistered())
        .put("hardware", hw)
        .put("cpu_cores", hw.getInteger("cpu_cores"))
        .put("ram_gb", hw.getDouble("ram_gb"))
        .put("capabilities", new JsonArray(state.capabilities()))
        .put("containment", state.containment() == null ? null : state.containment().toJson())
        .put("labels", new JsonObject(new LinkedHashMap<>(state.labels())))
        .put("refusing", state.refusing() == null ? null : state.refusing().toJson())
        .put("system_stats", state.stats().toJson())
        .put("version", io.heady.common.Version.VERSION);
  }
}
