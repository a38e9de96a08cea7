package io.heady.manager.api;

import io.heady.common.protocol.ApiException;
import io.heady.common.protocol.ErrorCode;
import io.heady.manager.scheduler.EventJournal;
import io.heady.manager.scheduler.EventTypes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /api/cluster/events}: server-sent events, resumable with {@code Last-Event-ID}; {@code ?types=} keeps
 * only the types asked for (exact, or a prefix such as {@code task.*}), in the replay too.
 */
final class EventRoutes {
  private final Vertx vertx;
  private final EventJournal journal;

  EventRoutes(Vertx vertx, EventJournal journal) {
    this.vertx = vertx;
    this.journal = journal;
  }

  void mount(Routes r) {
    // why: browsers' EventSource cannot send a header, so this one route also takes ?token=
    r.viewerStream("GET", "/api/cluster/events", this::stream);
  }

  private void stream(RoutingContext rc) {
    EventFilter filter;
    try {
      filter = EventFilter.parse(String.join(",", rc.queryParam("types")));
    } catch (IllegalArgumentException e) {
      Replies.error(rc, new ApiException(ErrorCode.INVALID_FIELD, e.getMessage(), new JsonObject()
          .put("field", "types").put("known", new JsonArray(List.copyOf(EventTypes.known())))));
      return;
    }
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
    Context ctx = vertx.getOrCreateContext();
    // why: listen before replaying the journal, so nothing published in between is missed; what comes
    // twice is dropped by its id. A batch is one write on the stream's own loop, not one per event.
    Runnable unlisten = journal.listen(batch -> ctx.runOnContext(v -> write(res, batch, sent, filter)));
    write(res, journal.since(from), sent, filter);
    long ping = vertx.setPeriodic(15_000, id -> res.write(": ping\n\n"));
    res.closeHandler(v -> {
      unlisten.run();
      vertx.cancelTimer(ping);
    });
  }

  private static void write(HttpServerResponse res, List<EventJournal.Entry> batch, long[] sent,
      EventFilter filter) {
    if (res.closed()) {
      return;
    }
    StringBuilder out = new StringBuilder();
    for (EventJournal.Entry e : batch) {
      if (e.id() > sent[0]) {
        sent[0] = e.id();
        if (filter.accepts(e.event().type())) {
          out.append(e.sse());
        }
      }
    }
    if (!out.isEmpty()) {
      res.write(out.toString());
    }
  }
}
