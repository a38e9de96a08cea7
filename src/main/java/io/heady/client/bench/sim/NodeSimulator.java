package io.heady.client.bench.sim;

import io.heady.client.bench.Samples;
import io.heady.common.identity.EnrollProof;
import io.heady.common.identity.PairKey;
import io.heady.common.identity.Pki;
import io.heady.common.identity.Seal;
import io.heady.common.protocol.Completion;
import io.heady.common.protocol.Hardware;
import io.heady.common.protocol.Heartbeat;
import io.heady.common.protocol.Registration;
import io.heady.common.protocol.SystemStats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * K simulated HTTP nodes behind one server. Everything runs on one Vert.x context: the server, the calls to
 * the manager and the counters, so nothing needs a lock. Measures what the manager does for nodes: how many
 * heartbeats a second it absorbs, and how soon a node that finished a task gets the next one when the queue
 * is deep (completion sent → next dispatch received: placement plus two loopback HTTP hops).
 */
public final class NodeSimulator implements AutoCloseable {
  /**
   * @param nodes how many nodes
   * @param slots task slots a node
   * @param heartbeatSec each node heartbeats this often (spread evenly over the interval)
   * @param idPrefix node ids are {@code <prefix><i>}, i from 0
   */
  public record Settings(int nodes, int slots, int heartbeatSec, String managerUrl, String joinToken,
      String idPrefix) {}

  private final Vertx vertx;
  private final Context ctx;
  private final Settings s;
  private final String managerHost;
  private final int managerPort;
  private final int[] running;
  private final long[] freedAt;
  private final List<Set<String>> held;
  /** Each node's seal, once it enrolled (as a real agent, with the join token, once). */
  private final Seal[] seals;
  private HttpServer server;
  private HttpClientAgent client;
  private int port;
  private long hbTimer = -1;
  private int hbCursor;
  private volatile boolean measuring;
  private boolean holding;
  private final List<Object[]> deferred = new ArrayList<>();
  // counters (context thread only; read via snapshot())
  private long dispatches;
  private long refused;
  private long completionsAcked;
  private long completionErrors;
  private long heartbeatsAcked;
  private long heartbeatErrors;
  private long reRegistrations;
  private final Samples placement = new Samples();
  private final Samples heartbeatLatency = new Samples();

  public NodeSimulator(Vertx vertx, Settings s) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.s = s;
    URI u = URI.create(s.managerUrl());
    this.managerHost = u.getHost();
    this.managerPort = u.getPort();
    this.running = new int[s.nodes()];
    this.seals = new Seal[s.nodes()];
    this.freedAt = new long[s.nodes()];
    this.held = new ArrayList<>(s.nodes());
    for (int i = 0; i < s.nodes(); i++) {
      held.add(new LinkedHashSet<>(2));
    }
  }

  /** A simulated node's id. */
  public String nodeId(int i) {
    return s.idPrefix() + i;
  }

  /** Starts the node API server and registers every node (64 registrations at a time). */
  public void start() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(managerHost).setDefaultPort(managerPort)
          .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(64));
      server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHost("127.0.0.1").setPort(0)
          .setTcpNoDelay(true));
      server.requestHandler(this::serve).listen().compose(srv -> {
        port = srv.actualPort();
        return registerAll();
      }).onComplete(ar -> {
        if (ar.succeeded()) {
          done.complete(null);
        } else {
          done.completeExceptionally(ar.cause());
        }
      });
    });
    done.get(300, TimeUnit.SECONDS);
  }

  public int port() {
    return port;
  }

  private Future<Void> registerAll() {
    Promise<Void> p = Promise.promise();
    int[] next = {0};
    int[] outstanding = {0};
    String[] failure = {null};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (next[0] < s.nodes() && outstanding[0] < 64 && failure[0] == null) {
        int i = next[0]++;
        outstanding[0]++;
        register(i).onComplete(ar -> {
          outstanding[0]--;
          if (ar.failed() && failure[0] == null) {
            failure[0] = "registering " + nodeId(i) + ": " + ar.cause().getMessage();
          }
          pump[0].run();
        });
      }
      if (outstanding[0] == 0 && (next[0] == s.nodes() || failure[0] != null)) {
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
    if (seals[i] != null) {
      return Future.succeededFuture();
    }
    String id = nodeId(i);
    java.security.KeyPair kp = Pki.newKeyPair();
    JsonObject body = EnrollProof.request("node_id", id, id, kp, System.currentTimeMillis());
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/cluster/enroll")
        .putHeader("Authorization", "Bearer " + s.joinToken()).putHeader("Content-Type", "application/json");
    return client.request(o).compose(r -> r.send(body.toBuffer())).compose(res -> res.body().compose(b -> {
      if (res.statusCode() != 200 && res.statusCode() != 201) {
        return Future.failedFuture("enroll answered " + res.statusCode() + ": " + b);
      }
      java.security.cert.X509Certificate m = Pki.certificate(new JsonObject(b).getString("manager_certificate"));
      seals[i] = Seal.node(id, PairKey.derive(kp.getPrivate(), m.getPublicKey(), id), java.time.Clock.systemUTC());
      return Future.succeededFuture();
    }));
  }

  private Future<Void> register(int i) {
    return enroll(i).compose(v -> registerEnrolled(i));
  }

  private Future<Void> registerEnrolled(int i) {
    String id = nodeId(i);
    Registration r = new Registration(id, id, "http", "http://127.0.0.1:" + port + "/n/" + id,
        new Hardware("simulated", 4, 4, 8, null, 0, 100, "linux", "x86_64"), List.of(), Map.of("sim", "true"),
        s.slots(), null, new ArrayList<>(held.get(i)), "sim");
    // why: a node is pending until its first heartbeat, as a real agent's is; it sends one at once
    return post(i, "/api/cluster/nodes/register", r.toJson().toBuffer()).compose(code -> code == 200 || code == 201
        ? heartbeat(i, false) : Future.failedFuture("register answered " + code)).compose(code -> code == 200
        ? Future.succeededFuture() : Future.failedFuture("first heartbeat answered " + code));
  }

  /** Starts heartbeating: every node once per interval, spread over it in 20 ms steps. */
  public void startHeartbeats() {
    ctx.runOnContext(v -> {
      int steps = Math.max(1, s.heartbeatSec() * 1000 / 20);
      double perStep = (double) s.nodes() / steps;
      double[] carry = {0};
      hbTimer = vertx.setPeriodic(20, id -> {
        carry[0] += perStep;
        int k = (int) carry[0];
        carry[0] -= k;
        for (int j = 0; j < k; j++) {
          heartbeat(hbCursor, true);
          hbCursor = (hbCursor + 1) % s.nodes();
        }
      });
    });
  }

  private Future<Integer> heartbeat(int i, boolean count) {
    long t0 = System.nanoTime();
    Heartbeat hb = new Heartbeat(nodeId(i), running[i], new ArrayList<>(held.get(i)),
        new SystemStats(5, 20, 10, 0.1, 1000));
    return post(i, "/api/cluster/nodes/heartbeat", hb.toJson().toBuffer()).andThen(ar -> {
      if (ar.succeeded() && ar.result() == 200) {
        if (count) {
          heartbeatsAcked++;
          heartbeatLatency.add(System.nanoTime() - t0);
        }
      } else {
        heartbeatErrors++;
        if (ar.succeeded() && ar.result() == 404) {
          reRegistrations++;
          register(i);
        }
      }
    });
  }

  /**
   * Heartbeats as fast as the manager answers them, {@code concurrency} at a time, for {@code seconds}:
   * the heartbeats a second it absorbs.
   */
  public double flood(int seconds, int concurrency) throws Exception {
    CompletableFuture<Double> done = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long t0 = System.nanoTime();
      long[] ok = {0};
      int[] outstanding = {0};
      int[] cursor = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (outstanding[0] < concurrency && System.nanoTime() < end) {
          outstanding[0]++;
          int i = cursor[0];
          cursor[0] = (cursor[0] + 1) % s.nodes();
          heartbeat(i, false).onComplete(ar -> {
            outstanding[0]--;
            if (ar.succeeded() && ar.result() == 200) {
              ok[0]++;
            }
            pump[0].run();
          });
        }
        if (outstanding[0] == 0 && !done.isDone()) {
          done.complete(ok[0] / ((System.nanoTime() - t0) / 1e9));
        }
      };
      pump[0].run();
    });
    return done.get(seconds + 60L, TimeUnit.SECONDS);
  }

  /** Placement samples are taken only while measuring (a deep queue). */
  public void measuring(boolean on) {
    measuring = on;
  }

  private void serve(HttpServerRequest req) {
    String path = req.path();
    if (!path.startsWith("/n/" + s.idPrefix())) {
      reply(req, 404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such node\",\"details\":{}}}");
      return;
    }
    int slash = path.indexOf('/', 3);
    String id = slash < 0 ? path.substring(3) : path.substring(3, slash);
    String rest = slash < 0 ? "" : path.substring(slash);
    int i;
    try {
      i = Integer.parseInt(id.substring(s.idPrefix().length()));
    } catch (NumberFormatException e) {
      i = -1;
    }
    if (i < 0 || i >= s.nodes()) {
      reply(req, 404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such node\",\"details\":{}}}");
      return;
    }
    int node = i;
    Seal seal = seals[node];
    Seal.Claim claim;
    try {
      claim = seal == null ? null : seal.claim(req.getHeader("Authorization"), req.method().name(), req.uri());
    } catch (Seal.Refused e) {
      claim = null;
    }
    if (claim == null) {
      reply(req, 401, "{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"not the manager's seal\",\"details\":{}}}");
      return;
    }
    Seal.Claim c = claim;
    // why: only the manager's seal over this very request is obeyed, as on a real node
    req.body().onSuccess(b -> {
      try {
        seal.verify(c, req.method().name(), req.uri(), b.getBytes());
      } catch (Seal.Refused e) {
        reply(req, 401, "{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"seal refused\",\"details\":{}}}");
        return;
      }
      route(req, node, id, rest, b);
    });
  }

  private void route(HttpServerRequest req, int node, String id, String rest, Buffer b) {
    if (req.method() == HttpMethod.POST && rest.equals("/api/node/task")) {
      dispatched(req, node, b);
    } else if (req.method() == HttpMethod.GET && rest.equals("/api/node/health")) {
      reply(req, 200, new JsonObject().put("status", "UP").put("node_id", id).put("running", running[node])
          .put("max_concurrent", s.slots()).encode());
    } else if (req.method() == HttpMethod.POST && rest.startsWith("/api/node/tasks/") && rest.endsWith("/cancel")) {
      reply(req, 200, "{\"cancelled\":true}");
    } else if (req.method() == HttpMethod.GET && rest.startsWith("/api/node/tasks/") && rest.contains("/log")) {
      reply(req, 200, "{\"data\":\"\",\"next_offset\":0,\"eof\":true}");
    } else {
      reply(req, 404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route\",\"details\":{}}}");
    }
  }

  private void dispatched(HttpServerRequest req, int node, Buffer body) {
    long now = System.nanoTime();
    JsonObject d;
    try {
      d = new JsonObject(body);
    } catch (RuntimeException e) {
      reply(req, 400, "{\"error\":{\"code\":\"BAD_JSON\",\"message\":\"bad json\",\"details\":{}}}");
      return;
    }
    String taskId = d.getString("task_id");
    String lease = d.getString("lease_id");
    if (taskId == null || lease == null) {
      reply(req, 400, "{\"error\":{\"code\":\"INVALID_FIELD\",\"message\":\"task_id and lease_id\",\"details\":{}}}");
      return;
    }
    if (held.get(node).contains(taskId)) {
      reply(req, 409, "{\"error\":{\"code\":\"CONFLICT\",\"message\":\"already running\",\"details\":{}}}");
      return;
    }
    if (running[node] >= s.slots()) {
      refused++;
      reply(req, 429, "{\"error\":{\"code\":\"NODE_FULL\",\"message\":\"full\",\"details\":{}}}");
      return;
    }
    dispatches++;
    if (freedAt[node] > 0 && measuring) {
      placement.add(now - freedAt[node]);
    }
    freedAt[node] = 0;
    running[node]++;
    held.get(node).add(taskId);
    reply(req, 202, "{\"accepted\":true}");
    if (holding) {
      deferred.add(new Object[] {node, taskId, lease});
    } else {
      complete(node, taskId, lease, 0);
    }
  }

  /**
   * While holding, nodes accept tasks and keep them (reporting them running) instead of completing them, so
   * the manager's queue fills up; releasing completes every held task at once.
   */
  public void hold(boolean on) {
    ctx.runOnContext(v -> {
      holding = on;
      if (!on) {
        List<Object[]> all = new ArrayList<>(deferred);
        deferred.clear();
        for (Object[] d : all) {
          complete((Integer) d[0], (String) d[1], (String) d[2], 0);
        }
      }
    });
  }

  private void complete(int node, String taskId, String lease, int tries) {
    Completion c = new Completion(taskId, nodeId(node), lease, "succeeded", 0, 0, "", "", false, null);
    if (tries == 0) {
      running[node]--;
      freedAt[node] = System.nanoTime();
    }
    post(node, "/api/cluster/tasks/complete", c.toJson().toBuffer()).onComplete(ar -> {
      int code = ar.succeeded() ? ar.result() : 0;
      if (code == 200 || code == 409) {
        completionsAcked++;
        held.get(node).remove(taskId);
      } else if (tries < 5) {
        vertx.setTimer(100L << tries, t -> complete(node, taskId, lease, tries + 1));
      } else {
        completionErrors++;
        held.get(node).remove(taskId);
      }
    });
  }

  private Future<Integer> post(int node, String path, Buffer body) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
        .putHeader("Authorization", seals[node].header("POST", path, body.getBytes(), Seal.MANAGER))
        .putHeader("Content-Type", "application/json");
    return client.request(o).compose(r -> r.send(body)).compose(res -> res.body().map(b -> res.statusCode()));
  }

  private static void reply(HttpServerRequest req, int status, String json) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
  }

  /** The counters and samples so far (copied on the simulator's context). */
  public Snapshot snapshot() throws Exception {
    CompletableFuture<Snapshot> f = new CompletableFuture<>();
    ctx.runOnContext(v -> f.complete(new Snapshot(dispatches, refused, completionsAcked, completionErrors,
        heartbeatsAcked, heartbeatErrors, reRegistrations, placement.toJson(), heartbeatLatency.toJson(),
        placement.size())));
    return f.get(30, TimeUnit.SECONDS);
  }

  /** What the simulator counted. */
  public record Snapshot(long dispatches, long refused, long completionsAcked, long completionErrors,
      long heartbeatsAcked, long heartbeatErrors, long reRegistrations, JsonObject placementMs,
      JsonObject heartbeatLatencyMs, int placementSamples) {}

  @Override
  public void close() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      if (hbTimer >= 0) {
        vertx.cancelTimer(hbTimer);
      }
      List<Future<?>> all = new ArrayList<>();
      if (server != null) {
        all.add(server.close());
      }
      if (client != null) {
        all.add(client.close());
      }
      Future.join(all).onComplete(ar -> f.complete(null));
    });
    try {
      f.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
  }
}
