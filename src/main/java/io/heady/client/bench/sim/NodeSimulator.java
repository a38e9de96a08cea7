package io.heady.client.bench.sim;

import io.heady.client.bench.OnContext;
import io.heady.common.tls.ClientTls;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * K simulated HTTP nodes behind one server. Everything runs on one Vert.x context: the server, the calls to
 * the manager and the counters, so nothing needs a lock. Measures what the manager does for nodes: how many
 * heartbeats a second it absorbs, and how soon a node that finished a task gets the next one when the queue
 * is deep (completion sent → next dispatch received: placement plus two loopback HTTP hops).
 *
 * <p>Its parts: {@link SimNodes} (the nodes' state and the counters), {@link SimManagerCalls} (enrollment,
 * registration, heartbeats and results sent to the manager) and {@link SimNodeApi} (the node API the manager
 * dispatches to).
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

  /** What the simulator counted. */
  public record Snapshot(long dispatches, long refused, long completionsAcked, long completionErrors,
      long heartbeatsAcked, long heartbeatErrors, long reRegistrations, JsonObject placementMs,
      JsonObject heartbeatLatencyMs, int placementSamples) {}

  private final Vertx vertx;
  private final Context ctx;
  private final Settings s;
  private final String managerHost;
  private final int managerPort;
  private final boolean https;
  private final ClientTls tls;
  private final SimNodes nodes;
  private HttpServer server;
  private HttpClientAgent client;
  private SimManagerCalls calls;
  private int port;
  private long hbTimer = -1;
  private int hbCursor;

  public NodeSimulator(Vertx vertx, Settings s) {
    this(vertx, s, ClientTls.DEFAULT);
  }

  /** With the manager's certificate trusted as {@code tls} says (for an {@code https://} manager URL). */
  public NodeSimulator(Vertx vertx, Settings s, ClientTls tls) {
    this.vertx = vertx;
    this.tls = tls;
    this.ctx = vertx.getOrCreateContext();
    this.s = s;
    URI u = URI.create(s.managerUrl());
    this.managerHost = u.getHost();
    this.https = "https".equalsIgnoreCase(u.getScheme());
    this.managerPort = u.getPort() < 0 ? (https ? 443 : 80) : u.getPort();
    this.nodes = new SimNodes(s);
  }

  /** A simulated node's id. */
  public String nodeId(int i) {
    return nodes.nodeId(i);
  }

  /** Starts the node API server and registers every node (64 registrations at a time). */
  public void start() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      client = vertx.createHttpClient(tls.apply(new HttpClientOptions().setDefaultHost(managerHost)
          .setDefaultPort(managerPort).setSsl(https)).setKeepAlive(true).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(64));
      calls = new SimManagerCalls(vertx, client, nodes, s.joinToken(), () -> port);
      SimNodeApi api = new SimNodeApi(nodes, calls);
      server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true));
      server.requestHandler(api::serve).listen().compose(srv -> {
        port = srv.actualPort();
        return calls.registerAll();
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
          calls.heartbeat(hbCursor, true);
          hbCursor = (hbCursor + 1) % s.nodes();
        }
      });
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
          calls.heartbeat(i, false).onComplete(ar -> {
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
    nodes.measuring(on);
  }

  /**
   * While holding, nodes accept tasks and keep them (reporting them running) instead of completing them, so
   * the manager's queue fills up; releasing completes every held task at once.
   */
  public void hold(boolean on) {
    ctx.runOnContext(v -> {
      for (SimNodes.Held h : nodes.hold(on)) {
        calls.complete(h.node(), h.taskId(), h.leaseId());
      }
    });
  }

  /** The counters and samples so far (copied on the simulator's context). */
  public Snapshot snapshot() throws Exception {
    CompletableFuture<Snapshot> f = new CompletableFuture<>();
    ctx.runOnContext(v -> f.complete(nodes.snapshot()));
    return f.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    OnContext.close(ctx, () -> {
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
      return all;
    });
  }
}
