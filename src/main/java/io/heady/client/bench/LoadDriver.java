package io.heady.client.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
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
 * Vert.x context, so the state needs no locks.
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
  private final String token;
  private final Settings settings;
  private final Listener listener;
  private final String runId = Long.toString(System.currentTimeMillis(), 36);
  private HttpClientAgent http;
  private HttpClientAgent events;
  private Phase phase;
  private long lastEventId = -1;
  private boolean closed;

  public LoadDriver(Vertx vertx, String baseUrl, String token, Settings settings, Listener listener) {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    URI u = URI.create(baseUrl);
    this.host = u.getHost();
    this.port = u.getPort() < 0 ? 80 : u.getPort();
    this.token = token;
    this.settings = settings;
    this.listener = listener;
  }

  /** Opens the event stream; returns once the manager has started sending it. */
  public void open() throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
          .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(Math.max(2, settings.requests())));
      events = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
          .setIdleTimeout(0).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(1));
      subscribe(ready);
    });
    ready.get(30, TimeUnit.SECONDS);
  }

  private void subscribe(CompletableFuture<Void> ready) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/cluster/events"
        + (lastEventId >= 0 ? "?last_event_id=" + lastEventId : "")).putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "text/event-stream");
    events.request(o).compose(req -> req.send()).onComplete(ar -> {
      if (ar.failed() || ar.result().statusCode() != 200) {
        String why = ar.failed() ? ar.cause().getMessage() : "status " + ar.result().statusCode();
        if (!ready.isDone()) {
          ready.completeExceptionally(new IllegalStateException("cannot follow /api/cluster/events: " + why));
        } else if (!closed) {
          vertx.setTimer(200, t -> subscribe(ready));
        }
        return;
      }
      HttpClientResponse res = ar.result();
      RecordParser parser = RecordParser.newDelimited("\n\n", this::onBlock);
      res.handler(b -> {
        if (!ready.isDone()) {
          ready.complete(null);
        }
        parser.handle(b);
      });
      res.endHandler(e -> {
        if (!closed) {
          vertx.setTimer(100, t -> subscribe(ready)); // resumes after the last event seen
        }
      });
      res.exceptionHandler(e -> { });
    });
  }

  private void onBlock(Buffer b) {
    SseEvent e = SseEvent.parse(b);
    if (e == null) {
      return;
    }
    if (e.id() >= 0) {
      lastEventId = e.id();
    }
    Phase p = phase;
    if (p != null && e.taskId() != null && e.type() != null) {
      p.event(e);
    }
  }

  /** Runs one phase of {@code n} tasks and waits for it; {@code tag} names it in the task ids. */
  public Outcome run(String tag, int n) throws Exception {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      phase = new Phase(tag, n, done);
      phase.start();
    });
    return done.get(settings.timeoutSec() + 120L, TimeUnit.SECONDS);
  }

  /** The id of task {@code i} of a phase: {@code b<run>-<tag>-<i>} (a valid task id). */
  String taskId(String tag, int i) {
    return "b" + runId + "-" + tag + "-" + i;
  }

  private final class Phase {
    final String tag;
    final String prefix;
    final int n;
    final CompletableFuture<Outcome> result;
    final long[] sub;
    final long[] start;
    final long[] disp;
    final long[] done;
    final byte[] state; // 0 open, 1 succeeded, 2 failed, 3 submit refused
    final boolean[] readBack;
    int next;
    int finished;
    int ok;
    int failed;
    int submitErrors;
    int readBackCount;
    int outstanding;
    int running;
    long firstSubmit = -1;
    long submitEnd;
    long lastDone;
    long lastProgressNs = System.nanoTime();
    long started = System.nanoTime();
    String firstError;
    long ticker;
    int lastTickFinished;
    long lastTickNs = System.nanoTime();
    boolean over;
    boolean reading;

    Phase(String tag, int n, CompletableFuture<Outcome> result) {
      this.tag = tag;
      this.prefix = "b" + runId + "-" + tag + "-";
      this.n = n;
      this.result = result;
      sub = new long[n];
      start = new long[n];
      disp = new long[n];
      done = new long[n];
      state = new byte[n];
      readBack = new boolean[n];
    }

    void start() {
      ticker = vertx.setPeriodic(250, id -> tick());
      if (n == 0) {
        end();
        return;
      }
      pump();
    }

    int window() {
      return settings.inFlight() <= 0 ? Integer.MAX_VALUE : settings.inFlight();
    }

    void pump() {
      while (!over && next < n && outstanding < settings.requests()) {
        int room = window() - (next - finished);
        if (room <= 0) {
          return;
        }
        int left = n - next;
        int k = Math.min(Math.min(settings.batch(), room), left);
        // why: with requests already out, wait for a fuller batch rather than sending a trickle of tiny ones
        if (outstanding > 0 && k < left && k < Math.min(settings.batch(), window()) / 4) {
          return;
        }
        send(next, k);
        next += k;
        if (next == n) {
          submitEnd = System.nanoTime();
        }
      }
    }

    void send(int from, int k) {
      StringBuilder sb = new StringBuilder(k * 64 + 16);
      if (k > 1) {
        sb.append("{\"tasks\":[");
      }
      for (int i = from; i < from + k; i++) {
        if (i > from) {
          sb.append(',');
        }
        sb.append("{\"id\":\"").append(prefix).append(i).append('"');
        if ("shell".equals(settings.kind())) {
          sb.append(",\"type\":\"shell\",\"command\":\"true\"}");
        } else {
          sb.append(",\"type\":\"noop\"}");
        }
      }
      if (k > 1) {
        sb.append("]}");
      }
      Buffer body = Buffer.buffer(sb.toString());
      outstanding++;
      long now = System.nanoTime();
      if (firstSubmit < 0) {
        firstSubmit = now;
      }
      for (int i = from; i < from + k; i++) {
        sub[i] = now;
      }
      RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/cluster/tasks/route")
          .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
      http.request(o).compose(req -> req.send(body).compose(res -> res.body().map(b -> {
        if (res.statusCode() != 200 && res.statusCode() != 201) {
          throw new IllegalStateException("submit answered " + res.statusCode() + ": " + abbreviate(b.toString()));
        }
        return b;
      }))).onComplete(ar -> {
        outstanding--;
        if (ar.failed()) {
          if (firstError == null) {
            firstError = ar.cause().getMessage();
          }
          for (int i = from; i < from + k; i++) {
            if (state[i] == 0) {
              state[i] = 3;
              submitErrors++;
              finish(i, System.nanoTime());
            }
          }
        }
        pump();
        maybeEnd();
      });
    }

    void event(SseEvent e) {
      String id = e.taskId();
      if (over || !id.startsWith(prefix)) {
        return;
      }
      int i;
      try {
        i = Integer.parseInt(id, prefix.length(), id.length(), 10);
      } catch (NumberFormatException bad) {
        return;
      }
      if (i < 0 || i >= n) {
        return;
      }
      long now = System.nanoTime();
      switch (e.type()) {
        case "task.dispatched" -> {
          if (disp[i] == 0) {
            disp[i] = now;
          }
        }
        case "task.running" -> {
          if (start[i] == 0) {
            start[i] = now;
            running++;
          }
        }
        default -> {
          if (e.terminal() && state[i] == 0) {
            state[i] = "task.succeeded".equals(e.type()) ? (byte) 1 : (byte) 2;
            if (state[i] == 1) {
              ok++;
            } else {
              failed++;
            }
            finish(i, now);
            pump();
            maybeEnd();
          }
        }
      }
    }

    void finish(int i, long now) {
      done[i] = now;
      finished++;
      lastDone = Math.max(lastDone, now);
      lastProgressNs = now;
    }

    void maybeEnd() {
      if (!over && finished >= n && outstanding == 0) {
        end();
      }
    }

    void tick() {
      long now = System.nanoTime();
      double rate = (finished - lastTickFinished) / ((now - lastTickNs) / 1e9);
      lastTickFinished = finished;
      lastTickNs = now;
      listener.progress(tag, finished, n, rate);
      if (over) {
        return;
      }
      if (now - started > TimeUnit.SECONDS.toNanos(settings.timeoutSec())) {
        if (firstError == null) {
          firstError = "gave up after " + settings.timeoutSec() + " s with " + (n - finished) + " tasks unfinished";
        }
        end();
        return;
      }
      if (next == n && outstanding == 0 && !reading && now - lastProgressNs > TimeUnit.SECONDS.toNanos(
          settings.stallSec())) {
        readBackUnfinished();
      }
    }

    /** No event for a while: ask for the unfinished tasks' records (an event may have been missed). */
    void readBackUnfinished() {
      reading = true;
      List<Integer> open = new ArrayList<>();
      for (int i = 0; i < n && open.size() < 2000; i++) {
        if (state[i] == 0) {
          open.add(i);
        }
      }
      List<Future<?>> all = new ArrayList<>();
      for (int i : open) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/cluster/tasks/" + prefix + i)
            .putHeader("Authorization", "Bearer " + token);
        all.add(http.request(o).compose(req -> req.send().compose(HttpClientResponse::body)).onSuccess(b -> {
          String status;
          try {
            status = new JsonObject(b).getString("status");
          } catch (RuntimeException e) {
            return;
          }
          if (state[i] != 0 || status == null) {
            return;
          }
          boolean terminal = List.of("succeeded", "failed", "timed_out", "cancelled", "skipped").contains(status);
          if (terminal) {
            state[i] = "succeeded".equals(status) ? (byte) 1 : (byte) 2;
            if (state[i] == 1) {
              ok++;
            } else {
              failed++;
            }
            readBack[i] = true;
            readBackCount++;
            finish(i, System.nanoTime());
          }
        }));
      }
      Future.join(all).onComplete(ar -> {
        reading = false;
        lastProgressNs = System.nanoTime();
        maybeEnd();
      });
    }

    void end() {
      over = true;
      vertx.cancelTimer(ticker);
      listener.progress(tag, finished, n, 0);
      Samples lat = new Samples();
      Samples st = new Samples();
      boolean useRunning = running * 10L >= ok * 9L && running > 0;
      List<String> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(prefix + i);
        if (state[i] == 1 && !readBack[i]) {
          lat.add(done[i] - sub[i]);
          long s = useRunning ? start[i] : disp[i];
          if (s > 0) {
            st.add(s - sub[i]);
          }
        }
      }
      result.complete(new Outcome(tag, n, ok, failed, submitErrors, readBackCount, firstSubmit < 0 ? 0 : firstSubmit,
          lastDone == 0 ? System.nanoTime() : lastDone, submitEnd, lat, st, useRunning ? "task.running"
              : "task.dispatched", ids, firstError));
      phase = null;
    }
  }

  static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<Void> f = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      List<Future<?>> all = new ArrayList<>();
      if (events != null) {
        all.add(events.close());
      }
      if (http != null) {
        all.add(http.close());
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
