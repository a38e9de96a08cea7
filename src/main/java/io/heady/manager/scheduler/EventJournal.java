package io.heady.manager.scheduler;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent events, numbered, so a client that lost its stream can resume from {@code Last-Event-ID}.
 * Thread-safe: the scheduler appends, the API reads.
 */
public final class EventJournal {
  private final int capacity;
  private final ArrayDeque<JsonObject> events = new ArrayDeque<>();
  private long nextId = 1;

  public EventJournal(int capacity) {
    this.capacity = capacity;
  }

  /** Numbers and keeps an event; returns it as published: {@code {id, type, at, data}}. */
  public synchronized JsonObject append(String type, JsonObject data, Instant at) {
    JsonObject e = new JsonObject().put("id", nextId++).put("type", type).put("at", at.toString()).put("data", data);
    events.addLast(e);
    if (events.size() > capacity) {
      events.removeFirst();
    }
    return e;
  }

  /** Events after {@code lastId}, oldest first (all kept ones when the id is older than the journal). */
  public synchronized List<JsonObject> since(long lastId) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject e : events) {
      if (e.getLong("id") > lastId) {
        out.add(e);
      }
    }
    return out;
  }

  public synchronized long lastId() {
    return nextId - 1;
  }
}
