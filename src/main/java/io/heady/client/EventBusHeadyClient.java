package io.heady.client;

import io.heady.common.identity.Pki;
import io.heady.common.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For Vert.x applications that are members of the heady cluster (same Hazelcast cluster): submits over the
 * clustered event bus instead of HTTP, without blocking.
 *
 * <p>Wire contract ({@link Addresses#SUBMIT}, request/reply): the request is {@code {"token": <an operator's or the admin token>,
 * "task": <the body of POST /api/cluster/tasks/route>}} (one task, or {@code {"tasks": [...]}} for a DAG); the
 * reply is the same JSON as the HTTP answer. A refusal fails the reply with the HTTP status as failure code and
 * the API's error document ({@code {"error": {code, message, details}}}) as message.
 *
 * <p>Task changes are published on {@link Addresses#EVENTS} in batches of events ({@code {id, type, at, data}},
 * types {@code task.succeeded}, {@code task.failed}, …); {@link #submitAndAwait} uses them to learn when a task ends.
 * Each batch is {@code {events, signed, sig}}: {@code signed} is the batch's JSON text and {@code sig} the managers'
 * signature of it. This client hands out only batches whose signature the managers' certificate verifies, and
 * counts the others ({@link #refusedBatches}).
 *
 * <p>The Vert.x instance must join the cluster with a client identity ({@link ClientIdentity#applyTo}): the event
 * bus is TLS between enrolled members only.
 */
public final class EventBusHeadyClient {
  private static final Set<String> FINISHED = Set.of("task.succeeded", "task.failed", "task.timed_out",
      "task.cancelled", "task.skipped");

  private final Vertx vertx;
  private final String token;
  private final PublicKey managers;
  private final DeliveryOptions options;
  private final AtomicLong refused;

  private EventBusHeadyClient(Vertx vertx, String token, PublicKey managers, Duration timeout, AtomicLong refused) {
    this.vertx = vertx;
    this.token = token;
    this.managers = managers;
    this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    this.refused = refused;
  }

  /**
   * A client on this (clustered) Vert.x instance presenting an operator's or the admin token, trusting events
   * signed by the managers of {@code identity}'s cluster; requests time out after 30 s.
   */
  public static EventBusHeadyClient create(Vertx vertx, String token, ClientIdentity identity) {
    return create(vertx, token, identity.managerCertificate());
  }

  /** The same, with the managers' certificate ({@code manager_certificate} of {@code GET /api/cluster/identity}). */
  public static EventBusHeadyClient create(Vertx vertx, String token, X509Certificate managerCertificate) {
    return new EventBusHeadyClient(vertx, token, managerCertificate.getPublicKey(), Duration.ofSeconds(30),
        new AtomicLong());
  }

  /** The same client with another request timeout. */
  public EventBusHeadyClient withTimeout(Duration timeout) {
    return new EventBusHeadyClient(vertx, token, managers, timeout, refused);
  }

  /** How many event batches this client dropped because the managers' signature did not verify them. */
  public long refusedBatches() {
    return refused.get();
  }

  /** Runs a shell command on whichever node is best. */
  public Future<Submission> run(String command) {
    return submit(TaskRequest.command(command).build());
  }

  /** Runs a shell command on one node, by id or name. */
  public Future<Submission> runOn(String node, String command) {
    return submit(TaskRequest.command(command).node(node).build());
  }

  public Future<Submission> submit(TaskRequest task) {
    return request(task.toJson()).map(Submission::fromJson);
  }

  /** Submits a DAG; the answer is the HTTP one: {@code {dag_id, tasks: [{task_id, status, …}]}}. */
  public Future<JsonObject> submitDag(List<TaskRequest> tasks) {
    JsonArray arr = new JsonArray();
    tasks.forEach(t -> arr.add(t.toJson()));
    return request(new JsonObject().put("tasks", arr));
  }

  /**
   * Submits a task and completes when it is finished, with the finishing event's data
   * ({@code {task_id, status, type, priority, node_id}}). Listens before submitting, so a quick task is not
   * missed. The task's output is not in the event: read it over HTTP ({@link HeadyClient#task}).
   */
  public Future<JsonObject> submitAndAwait(TaskRequest task) {
    Promise<JsonObject> done = Promise.promise();
    Map<String, JsonObject> early = new HashMap<>();
    String[] id = {null}; // guarded by early
    MessageConsumer<Object> c = events(e -> {
      if (!FINISHED.contains(e.getString("type")) || !(e.getValue("data") instanceof JsonObject d)) {
        return;
      }
      String tid = d.getString("task_id");
      // why: when called off a Vert.x thread, the consumer and the reply may run on different event loops
      String mine;
      synchronized (early) {
        if (id[0] == null) {
          early.put(tid, d);
          return;
        }
        mine = id[0];
      }
      if (mine.equals(tid)) {
        done.tryComplete(d);
      }
    });
    c.completion().compose(v -> submit(task)).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      Submission s = ar.result();
      JsonObject seen;
      synchronized (early) {
        id[0] = s.taskId();
        seen = early.get(s.taskId());
        early.clear();
      }
      if (seen != null) {
        done.tryComplete(seen);
      } else if (s.status().terminal()) {
        done.tryComplete(new JsonObject().put("task_id", s.taskId()).put("status", s.status().wire())
            .put("node_id", s.nodeId()));
      }
    });
    return done.future().eventually(() -> c.unregister());
  }

  /**
   * Calls {@code handler} with every cluster event ({@code {id, type, at, data}}) the managers signed, oldest
   * first; unregister to stop. The manager publishes them in signed batches; this hands them out one by one.
   */
  public MessageConsumer<Object> events(Handler<JsonObject> handler) {
    return vertx.eventBus().<Object>consumer(Addresses.EVENTS, m -> {
      JsonArray batch = verified(m.body());
      if (batch == null) {
        refused.incrementAndGet();
        return;
      }
      for (Object e : batch) {
        if (e instanceof JsonObject ev) {
          handler.handle(ev);
        }
      }
    });
  }

  /** The batch's events when the managers' key signed exactly this text, else null. */
  private JsonArray verified(Object body) {
    if (!(body instanceof JsonObject b) || !(b.getValue("signed") instanceof String text)
        || !(b.getValue("sig") instanceof String sig)) {
      return null;
    }
    if (!Pki.verify(managers, text.getBytes(StandardCharsets.UTF_8), sig)) {
      return null;
    }
    try {
      // why: what is handed out is what was signed, never the unsigned copy beside it
      return new JsonArray(text);
    } catch (io.vertx.core.json.DecodeException e) {
      return null;
    }
  }

  private Future<JsonObject> request(JsonObject task) {
    JsonObject msg = new JsonObject().put("token", token).put("task", task);
    return vertx.eventBus().<JsonObject>request(Addresses.SUBMIT, msg, options).map(m -> m.body())
        .recover(t -> Future.failedFuture(translate(t)));
  }

  /** A failed reply as the SDK's exception: the API's error document, or why no answer came. */
  static HeadyException translate(Throwable t) {
    if (t instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        HeadyException e = HeadyException.fromErrorBody(re.failureCode(), re.getMessage());
        if (HeadyException.BAD_RESPONSE.equals(e.code())) {
          return new HeadyException(re.failureCode(), "HTTP_" + re.failureCode(), String.valueOf(re.getMessage()));
        }
        return e;
      }
      if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        return new HeadyException(503, "NO_HANDLERS", "no manager answers on " + Addresses.SUBMIT
            + " (is this Vert.x instance in the heady cluster, and does the manager accept event-bus submissions?)");
      }
      return new HeadyException(0, HeadyException.TIMEOUT, "the manager did not answer on " + Addresses.SUBMIT
          + " in time");
    }
    if (t instanceof HeadyException h) {
      return h;
    }
    return new HeadyException(0, HeadyException.BAD_RESPONSE, String.valueOf(t.getMessage()));
  }
}
