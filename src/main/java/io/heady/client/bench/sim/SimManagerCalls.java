package io.heady.client.bench.sim;

import io.heady.common.identity.EnrollProof;
import io.heady.common.identity.PairKey;
import io.heady.common.identity.Pki;
import io.heady.common.identity.Seal;
import io.heady.common.protocol.Completion;
import io.heady.common.retry.Backoff;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What the simulated nodes send the manager, over the documented HTTP endpoints and in the agent's protocol
 * records ({@link Registration}, {@link Heartbeat}, {@link Completion}): enrollment with the join token, then
 * registration, heartbeats and results, each sealed with the node's own pair key as an agent's are. Runs on the
 * simulator's context.
 */
final class SimManagerCalls {
  /** Registrations in flight at once while the nodes start. */
  private static final int REGISTERING = 64;
  /** Tries of a result the manager did not take before it is dropped. */
  private static final int COMPLETION_RETRIES = 5;
  /** Waits between those tries: 100, 200, 400, 800, 1600 ms. */
  private static final Backoff COMPLETION_BACKOFF = Backoff.doubling(100, 1600);

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final SimNodes nodes;
  private final String joinToken;
  private final IntSupplier port;

  /** @param port the port of the simulator's node API, which each node names as its tunnel URL */
  SimManagerCalls(Vertx vertx, HttpClientAgent client, SimNodes nodes, String joinToken, IntSupplier port) {
    this.vertx = vertx;
    this.client = client;
    this.nodes = nodes;
    this.joinToken = joinToken;
    this.port = port;
  }

  /** Enrolls and registers every node, {@value #REGISTERING} at a time; fails with the first that fails. */
  Future<Void> registerAll() {
    Promise<Void> p = Promise.promise();
    int[] next = {0};
    int[] outstanding = {0};
    String[] failure = {null};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (next[0] < nodes.count() && outstanding[0] < REGISTERING && failure[0] == null) {
        int i = next[0]++;
        outstanding[0]++;
        register(i).onComplete(ar -> {
          outstanding[0]--;
          if (ar.failed() && failure[0] == null) {
            failure[0] = "registering " + nodes.nodeId(i) + ": " + ar.cause().getMessage();
          }
          pump[0].run();
        });
      }
      if (outstanding[0] == 0 && (next[0] == nodes.count() || failure[0] != null)) {
        if (failure[0] != null) {
          p.tryFail(failure[0]);
        } else {
          p.tryComplete();
        }
      }
    };
    pump[0].run();
    return p.future();
  }

  /**
   * Enrolls node {@code i} as an agent does: its own key, proven, with the join token; the pair key it then
   * shares with the manager seals everything after.
   */
  private Future<Void> enroll(int i) {
    if (nodes.seal(i) != null) {
      return Future.succeededFuture();
    }
    String id = nodes.nodeId(i);
    KeyPair kp = Pki.newKeyPair();
    JsonObject body = EnrollProof.request("node_id", id, id, kp, System.currentTimeMillis());
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/cluster/enroll")
        .putHeader("Authorization", "Bearer " + joinToken).putHeader("Content-Type", "application/json");
    return client.request(o).compose(r -> r.send(body.toBuffer())).compose(res -> res.body().compose(b -> {
      if (res.statusCode() != 200 && res.statusCode() != 201) {
        return Future.failedFuture("enroll answered " + res.statusCode() + ": " + b);
      }
      X509Certificate m = Pki.certificate(new JsonObject(b).getString("manager_certificate"));
      nodes.seal(i, Seal.node(id, PairKey.derive(kp.getPrivate(), m.getPublicKey(), id), Clock.systemUTC()));
      return Future.succeededFuture();
    }));
  }

  /** Enrolls (once) and registers node {@code i}, then sends its first heartbeat. */
  Future<Void> register(int i) {
    return enroll(i).compose(v -> registerEnrolled(i));
  }

  private Future<Void> registerEnrolled(int i) {
    String id = nodes.nodeId(i);
    Registration r = new Registration(id, id, "http", "http://127.0.0.1:" + port.getAsInt() + "/n/" + id,
        new Hardware("simulated", 4, 4, 8, null, 0, 100, "linux", "x86_64"), List.of(), Map.of("sim", "true"),
        nodes.slots(), null, nodes.held(i), "sim");
    // why: a node is pending until its first heartbeat, as a real agent's is; it sends one at once
    return post(i, "/api/cluster/nodes/register", r.toJson().toBuffer()).compose(code -> code == 200 || code == 201
        ? heartbeat(i, false) : Future.failedFuture("register answered " + code)).compose(code -> code == 200
        ? Future.succeededFuture() : Future.failedFuture("first heartbeat answered " + code));
  }

  /**
   * One heartbeat of node {@code i}; answers the manager's status. Counted (with its latency) when asked; a
   * node the manager does not know (404) registers again, as an agent does.
   */
  Future<Integer> heartbeat(int i, boolean count) {
    long t0 = System.nanoTime();
    Heartbeat hb = new Heartbeat(nodes.nodeId(i), nodes.running(i), nodes.held(i),
        new SystemStats(5, 20, 10, 0.1, 1000));
    return post(i, "/api/cluster/nodes/heartbeat", hb.toJson().toBuffer()).andThen(ar -> {
      if (ar.succeeded() && ar.result() == 200) {
        if (count) {
          nodes.heartbeatsAcked++;
          nodes.heartbeatLatency.add(System.nanoTime() - t0);
        }
      } else {
        nodes.heartbeatErrors++;
        if (ar.succeeded() && ar.result() == 404) {
          nodes.reRegistrations++;
          register(i);
        }
      }
    });
  }

  /**
   * The task succeeded at once: frees its slot and reports it under its lease, trying again (after 100 ms,
   * doubling) while the manager does not take it. 409 counts as taken: the manager has a result already.
   */
  void complete(int node, String taskId, String lease) {
    nodes.ended(node, System.nanoTime());
    report(node, taskId, lease, 0);
  }

  private void report(int node, String taskId, String lease, int tries) {
    Completion c = new Completion(taskId, nodes.nodeId(node), lease, "succeeded", 0, 0, "", "", false, null);
    post(node, "/api/cluster/tasks/complete", c.toJson().toBuffer()).onComplete(ar -> {
      int code = ar.succeeded() ? ar.result() : 0;
      if (code == 200 || code == 409) {
        nodes.completionsAcked++;
        nodes.reported(node, taskId);
      } else if (tries < COMPLETION_RETRIES) {
        vertx.setTimer(COMPLETION_BACKOFF.nth(tries + 1), t -> report(node, taskId, lease, tries + 1));
      } else {
        nodes.completionErrors++;
        nodes.reported(node, taskId);
      }
    });
  }

  /** A POST sealed by the node; answers the status. */
  private Future<Integer> post(int node, String path, Buffer body) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("Authorization", nodes.seal(node).header("POST", path, body.getBytes(), Seal.MANAGER))
        .putHeader("Content-Type", "application/json");
    return client.request(o).compose(r -> r.send(body)).compose(res -> res.body().map(b -> res.statusCode()));
  }
}
