package io.heady.client.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One phase of the {@link LoadDriver}: submits its {@code n} tasks (ids {@code <prefix><i>}) within the
 * driver's bounds, matches their events, reads back the records of unfinished ones when events stop coming,
 * and ends when every task finished or the phase timed out. {@link PhaseTally} keeps what it learns. Runs on
 * the driver's context: no locks.
 */
final class LoadPhase {
  private static final List<String> FINAL = List.of("succeeded", "failed", "timed_out", "cancelled", "skipped");

  private final Vertx vertx;
  private final HttpClientAgent http;
  private final String token;
  private final LoadDriver.Settings settings;
  private final LoadDriver.Listener listener;
  private final String tag;
  private final String prefix;
  private final int n;
  private final CompletableFuture<LoadDriver.Outcome> result;
  private final Runnable ended;
  private final PhaseTally tally;
  private final long started = System.nanoTime();
  private int next;
  private int outstanding;
  private String firstError;
  private long ticker;
  private int lastTickFinished;
  private long lastTickNs = System.nanoTime();
  private boolean over;
  private boolean reading;

  /** @param ended called on the context once the phase is over and its outcome delivered */
  LoadPhase(Vertx vertx, HttpClientAgent http, String token, LoadDriver.Settings settings,
      LoadDriver.Listener listener, String tag, String prefix, int n, CompletableFuture<LoadDriver.Outcome> result,
      Runnable ended) {
    this.vertx = vertx;
    this.http = http;
    this.token = token;
    this.settings = settings;
    this.listener = listener;
    this.tag = tag;
    this.prefix = prefix;
    this.n = n;
    this.result = result;
    this.ended = ended;
    this.tally = new PhaseTally(n, System.nanoTime());
  }

  void start() {
    ticker = vertx.setPeriodic(250, id -> tick());
    if (n == 0) {
      end();
      return;
    }
    pump();
  }

  private int window() {
    return settings.inFlight() <= 0 ? Integer.MAX_VALUE : settings.inFlight();
  }

  private void pump() {
    while (!over && next < n && outstanding < settings.requests()) {
      int room = window() - (next - tally.finished());
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
        tally.allSubmitted(System.nanoTime());
      }
    }
  }

  /** One submission: a task, or {@code {tasks:[…]}} for several. */
  private Buffer body(int from, int k) {
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
    return Buffer.buffer(sb.toString());
  }

  private void send(int from, int k) {
    Buffer body = body(from, k);
    outstanding++;
    tally.submitted(from, k, System.nanoTime());
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/cluster/tasks/route")
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json");
    http.request(o).compose(req -> req.send(body).compose(res -> res.body().map(b -> {
      if (res.statusCode() != 200 && res.statusCode() != 201) {
        throw new IllegalStateException("submit answered " + res.statusCode() + ": "
            + LoadDriver.abbreviate(b.toString()));
      }
      return b;
    }))).onComplete(ar -> {
      outstanding--;
      if (ar.failed()) {
        if (firstError == null) {
          firstError = ar.cause().getMessage();
        }
        tally.submitFailed(from, k, System.nanoTime());
      }
      pump();
      maybeEnd();
    });
  }

  /** A task event from the driver's stream; events of other phases or runs are ignored. */
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
      case "task.dispatched" -> tally.dispatched(i, now);
      case "task.running" -> tally.running(i, now);
      default -> {
        if (e.terminal() && tally.ended(i, "task.succeeded".equals(e.type()), now)) {
          pump();
          maybeEnd();
        }
      }
    }
  }

  private void maybeEnd() {
    if (!over && tally.finished() >= n && outstanding == 0) {
      end();
    }
  }

  private void tick() {
    long now = System.nanoTime();
    int finished = tally.finished();
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
    if (next == n && outstanding == 0 && !reading
        && now - tally.lastProgressNs() > TimeUnit.SECONDS.toNanos(settings.stallSec())) {
      readBackUnfinished();
    }
  }

  /** No event for a while: ask for the unfinished tasks' records (an event may have been missed). */
  private void readBackUnfinished() {
    reading = true;
    List<Future<?>> all = new ArrayList<>();
    for (int i : tally.firstOpen(2000)) {
      RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/cluster/tasks/" + prefix + i)
          .putHeader("Authorization", "Bearer " + token);
      all.add(http.request(o).compose(req -> req.send().compose(HttpClientResponse::body)).onSuccess(b -> {
        String status;
        try {
          status = new JsonObject(b).getString("status");
        } catch (RuntimeException e) {
          return;
        }
        if (tally.open(i) && status != null && FINAL.contains(status)) {
          tally.endedReadBack(i, "succeeded".equals(status), System.nanoTime());
        }
      }));
    }
    Future.join(all).onComplete(ar -> {
      reading = false;
      tally.progressed(System.nanoTime());
      maybeEnd();
    });
  }

  private void end() {
    over = true;
    vertx.cancelTimer(ticker);
    listener.progress(tag, tally.finished(), n, 0);
    result.complete(tally.outcome(tag, prefix, firstError, System.nanoTime()));
    ended.run();
  }
}
