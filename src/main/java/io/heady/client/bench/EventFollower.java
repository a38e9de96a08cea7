package io.heady.client.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Follows {@code GET /api/cluster/events} for the {@link LoadDriver} (only the types it counts): hands each task
 * event to the sink and, when the stream ends or drops, follows again after the last event it saw
 * ({@code last_event_id}), so a reconnection loses nothing. Runs on the driver's context.
 */
final class EventFollower {
  /**
   * The events a phase counts: start (dispatched, running) and every end. why: the manager then encodes and sends
   * no other (task.submitted was a quarter of the stream); a manager that predates {@code types} ignores it.
   */
  static final String TYPES = "task.dispatched,task.running,task.succeeded,task.failed,task.timed_out,"
      + "task.cancelled,task.skipped";

  private final Vertx vertx;
  private final HttpClientAgent events;
  private final String token;
  private final Consumer<SseEvent> sink;
  private long lastEventId = -1;
  private volatile boolean closed;

  EventFollower(Vertx vertx, HttpClientAgent events, String token, Consumer<SseEvent> sink) {
    this.vertx = vertx;
    this.events = events;
    this.token = token;
    this.sink = sink;
  }

  /** Starts following; {@code ready} completes once the manager sends the stream, or fails if it will not. */
  void follow(CompletableFuture<Void> ready) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/cluster/events?types=" + TYPES
        + (lastEventId >= 0 ? "&last_event_id=" + lastEventId : "")).putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "text/event-stream");
    events.request(o).compose(req -> req.send()).onComplete(ar -> {
      if (ar.failed() || ar.result().statusCode() != 200) {
        String why = ar.failed() ? ar.cause().getMessage() : "status " + ar.result().statusCode();
        if (!ready.isDone()) {
          ready.completeExceptionally(new IllegalStateException("cannot follow /api/cluster/events: " + why));
        } else if (!closed) {
          vertx.setTimer(200, t -> follow(ready));
        }
        return;
      }
      HttpClientResponse res = ar.result();
      RecordParser parser = RecordParser.newDelimited("\n\n", b -> onBlock(SseEvent.parse(b)));
      res.handler(b -> {
        if (!ready.isDone()) {
          ready.complete(null);
        }
        parser.handle(b);
      });
      res.endHandler(e -> {
        if (!closed) {
          vertx.setTimer(100, t -> follow(ready)); // resumes after the last event seen
        }
      });
      res.exceptionHandler(e -> { });
    });
  }

  private void onBlock(SseEvent e) {
    if (e == null) {
      return;
    }
    if (e.id() >= 0) {
      lastEventId = e.id();
    }
    if (e.taskId() != null && e.type() != null) {
      sink.accept(e);
    }
  }

  /** Stops following (the caller closes the client). */
  void close() {
    closed = true;
  }
}
