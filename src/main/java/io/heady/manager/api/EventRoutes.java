package io.heady.manager.api;

import io.heady.common.protocol.Addresses;
import io.heady.manager.scheduler.EventJournal;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/cluster/events}: server-sent events, resumable with {@code Last-Event-ID}. */
final class EventRoutes {
  private final Vertx vertx;
  private final EventJournal journal;

  EventRoutes(Vertx vertx, EventJournal journal) {
    this.vertx = vertx;
    this.journal = journal;
  }

  void mount(Routes r) {
    // why: browsers' EventSource cannot send a header, so this one route also takes ?token=
    r.adminStream("GET", "/api/cluster/events", this::stream);
  }

  private void stream(RoutingContext rc) {
    HttpServerResponse res = rc.response();
    res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    String last = rc.request().getHeader("Last-Event-ID");
    if (last == null) {
      last = rc.queryParams().get("last_event_id");
    }
    long from;
    try {
      from = last == null ? journal.lastId() : Long.parseLong(last.trim());
    } catch (NumberFormatException e) {
      from = journal.lastId();
    }
    if (from > journal.lastId()) {
      // why: an id from before a manager restart is ahead of the new journal; resume from now, not never
      from = journal.lastId();
    }
    res.write(": heady events\nretry: 2000\n\n");
    long[] sent = {from};
    for (JsonObject e : journal.since(from)) {
      write(res, e, sent);
    }
    MessageConsumer<JsonObject> c = vertx.eventBus().localConsumer(Addresses.EVENTS, m -> write(res, m.body(), sent));
    long ping = vertx.setPeriodic(15_000, id -> res.write(": ping\n\n"));
    res.closeHandler(v -> {
      c.unregister();
      vertx.cancelTimer(ping);
    });
  }

  private static void write(HttpServerResponse res, JsonObject e, long[] sent) {
    long id = e.getLong("id");
    if (id <= sent[0] || res.closed()) {
      return;
    }
    sent[0] = id;
    res.write("id: " + id + "\nevent: " + e.getString("type") + "\ndata: " + e.encode() + "\n\n");
  }
}
