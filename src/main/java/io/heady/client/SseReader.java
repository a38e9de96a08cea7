package io.heady.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads server-sent events (the {@code text/event-stream} format) one event at a time. */
final class SseReader implements AutoCloseable {
  /** One event: its id (may be null), its type ({@code message} when unnamed) and its data lines joined. */
  record Event(String id, String type, String data) {}

  private final BufferedReader in;
  private String lastId;

  SseReader(InputStream in) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** The next event, or {@code null} at the end of the stream. Comments and retry lines are skipped. */
  Event next() throws IOException {
    String type = null;
    StringBuilder data = null;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(lastId, type == null ? "message" : type, data.toString());
        }
        type = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> type = value;
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        case "id" -> lastId = value;
        default -> {
          // retry and unknown fields are ignored, as the format says
        }
      }
    }
    return data == null ? null : new Event(lastId, type == null ? "message" : type, data.toString());
  }

  String lastId() {
    return lastId;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
