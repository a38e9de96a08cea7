package io.heady.manager.scheduler;

import io.heady.manager.metrics.TaskTimings;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The recent events, numbered, so a client that lost its stream can resume from {@code Last-Event-ID}, and
 * the in-process listeners (event streams, metrics) that hear each batch of them once it is written.
 * Thread-safe: the scheduler appends and publishes, the API reads and listens.
 */
public final class EventJournal {
  /**
   * One event as published: {@code {id, type, at, data}}. Its JSON and its server-sent-event text are
   * built once, however many streams carry it.
   *
   * @param timings the task's timings when the event is about a task (for metrics), else {@link TaskTimings#NONE}
   */
  public record Event(long id, String type, Instant at, JsonObject data, TaskTimings timings) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("type", type).put("at", at.toString()).put("data", data);
    }
  }

  /** An event with its wire forms, encoded at most once. */
  public static final class Entry {
    private final Event event;
    private JsonObject json;
    private String sse;

    Entry(Event event) {
      this.event = event;
    }

    public Event event() {
      return event;
    }

    public long id() {
      return event.id();
    }

    public synchronized JsonObject json() {
      if (json == null) {
        json = event.toJson();
      }
      return json;
    }

    /** The server-sent-event frame: {@code id:}, {@code event:} and {@code data:} lines and a blank line. */
    public synchronized String sse() {
      if (sse == null) {
        sse = "id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + json().encode() + "\n\n";
      }
      return sse;
    }
  }

  private final int capacity;
  private final ArrayDeque<Entry> events = new ArrayDeque<>();
  private final List<Consumer<List<Entry>>> listeners = new CopyOnWriteArrayList<>();
  private long nextId = 1;

  public EventJournal(int capacity) {
    this.capacity = capacity;
  }

  /** Numbers and keeps an event; listeners hear it with the next {@link #publish}. */
  public synchronized Entry append(String type, JsonObject data, Instant at, TaskTimings timings) {
    Entry e = new Entry(new Event(nextId++, type, at, data, timings));
    events.addLast(e);
    if (events.size() > capacity) {
      events.removeFirst();
    }
    return e;
  }

  /** Numbers and keeps an event (no timings). */
  public Entry append(String type, JsonObject data, Instant at) {
    return append(type, data, at, TaskTimings.NONE);
  }

  /** Hands a batch of appended events to every listener, in order, on the caller's thread. */
  public void publish(List<Entry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    for (Consumer<List<Entry>> l : listeners) {
      l.accept(batch);
    }
  }

  /**
   * Registers a listener for every batch published from now on; it runs on the publisher's thread and must
   * not block. Returns what removes it.
   */
  public Runnable listen(Consumer<List<Entry>> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Events after {@code lastId}, oldest first (all kept ones when the id is older than the journal). */
  public synchronized List<Entry> since(long lastId) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : events) {
      if (e.id() > lastId) {
        out.add(e);
      }
    }
    return out;
  }

  public synchronized long lastId() {
    return nextId - 1;
  }
}
