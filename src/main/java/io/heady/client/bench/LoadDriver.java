package io.heady.client.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.heady.common.tls.ClientTls;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Drives load through the manager's HTTP API and times every task. It listens on
 * {@code GET /api/cluster/events} before it submits anything; then it submits tasks with client-chosen ids
 * (so an event that overtakes the submission's answer is still matched), batched as {@code {tasks:[…]}} up
 * to {@code batch} a request, keeping at most {@code inFlight} unfinished. A task's latency is its
 * submission's send time to its {@code task.succeeded} event; its start latency the same to
 * {@code task.running} (or {@code task.dispatched} for a type that runs no process). Everything runs on one
 * Vert.x context, so the state needs no locks. {@link EventFollower} follows the events, {@link LoadPhase}
 * runs a phase and {@link PhaseTally} counts it.
 */
public final class LoadDriver implements AutoCloseable {
  /**
   * @param kind {@code noop} or {@code shell} (runs {@code true})
   * @param inFlight at most this many tasks submitted and not finished; 0: all at once
   * @param batch at most this many tasks a submission request
   * @param requests at most this many submission requests outstanding
   * @param stallSec with everything submitted and no event for this long, unfinished tasks are read back
   * @param timeoutSec a phase ends after this long even if tasks are unfinished (they count as lost)
   */
  public record Settings(String kind, int inFlight, int batch, int requests, int stallSec, int timeoutSec) {}

  /** Live progress of a phase, about four times a second. */
  public interface Listener {
    void progress(String phase, int finished, int total, double perSecond);
  }

  /** What one phase measured. */
  public record Outcome(String phase, int tasks, int succeeded, int failed, int submitErrors, int readBack,
      long firstSubmitNs, long lastDoneNs, long submitEndNs, Samples latency, Samples start, String startEvent,
      List<String> ids, String firstError) {

    /** Succeeded tasks per second from the first submission to the last completion. */
    public double throughput() {
      double wall = (lastDoneNs - firstSubmitNs) / 1e9;
      return wall > 0 ? succeeded / wall : 0;
    }

    public double wallSeconds() {
      return Math.max(0, (lastDoneNs - firstSubmitNs) / 1e9);
    }
  }

  private final Vertx vertx;
  private final Context ctx;
  private final String host;
  private final int port;
  private final boolean https;
  private final ClientTls tls;
  private final String token;
  private final Settings settings;
  private final Listener listener;
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private HttpClientAgent http;
  private HttpClientAgent events;
  private EventFollower follower;
  private LoadPhase phase;

  public LoadDriver(Vertx vertx, String baseUrl, String token, Settings settings, Listener listener) {
    this(vertx, baseUrl, token, ClientTls.DEFAULT, settings, listener);
  }

  /** With the manager's certificate trusted as {@code tls} says (for an {@code https://} URL). */
  public LoadDriver(Vertx vertx, String baseUrl, String token, ClientTls tls, Settings settings, Listener listener) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    URI u = URI.create(baseUrl);
    this.host = u.getHost();
    this.https = "https".equalsIgnoreCase(u.getScheme());
    this.tls = tls;
    this.port = u.getPort() < 0 ? (https ? 443 : 80) : u.getPort();
    this.token = token;
    this.settings = settings;
    this.listener = listener;
  }

  private HttpClientOptions options() {
    return tls.apply(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port).setSsl(https));
  }

  /** Opens the event stream; returns once the manager has started sending it. */
  public void open() throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      http = vertx.createHttpClient(options().setKeepAlive(true).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(Math.max(2, settings.requests())));
      events = vertx.createHttpClient(options().setIdleTimeout(0).setTcpNoDelay(true),
          new PoolOptions().setHttp1MaxSize(1));
      follower = new EventFollower(vertx, events, token, e -> {
        LoadPhase p = phase;
        if (p != null) {
          p.event(e);
        }
      });
      follower.follow(ready);
    });
    ready.get(30, TimeUnit.SECONDS);
  }

  /** Runs one phase of {@code n} tasks and waits for it; {@code tag} names it in the task ids. */
  public Outcome run(String tag, int n) throws Exception {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      phase = new LoadPhase(vertx, http, token, settings, listener, tag, prefix(tag), n, done,
          () -> phase = null);
      phase.start();
    });
    return done.get(settings.timeoutSec() + 120L, TimeUnit.SECONDS);
  }

  /** The id of task {@code i} of a phase: {@code b<run>-<tag>-<i>} (a valid task id). */
  String taskId(String tag, int i) {
    return prefix(tag) + i;
  }

  private String prefix(String tag) {
    return "b" + runId + "-" + tag + "-";
  }

  static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  @Override
  public void close() {
    if (follower != null) {
      follower.close();
    }
    OnContext.close(ctx, () -> {
      List<Future<?>> all = new ArrayList<>();
      if (events != null) {
        all.add(events.close());
      }
      if (http != null) {
        all.add(http.close());
      }
      return all;
    });
  }
}
