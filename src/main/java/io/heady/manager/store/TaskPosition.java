package io.heady.manager.store;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's place in submission order: its {@code seq}, then its id (tasks saved by managers of different
 * runs can share a seq, and the Redis indexes order equal scores by member, byte by byte, as
 * {@link String#compareTo} does for ids of ASCII letters, digits and {@code ._-}).
 *
 * <p>As a cursor it says where the previous page ended. A cursor without an id ({@code seq} alone, as older
 * clients send it) stands past every task of that seq, whichever way one pages.
 *
 * @param id {@code null} only in a cursor
 */
public record TaskPosition(long seq, String id) implements Comparable<TaskPosition> {
  private static final Pattern CURSOR = Pattern.compile("(\\d{1,18})(?::([A-Za-z0-9._-]{1,64}))?");
  private static final Comparator<TaskPosition> ORDER = Comparator.comparingLong(TaskPosition::seq)
      .thenComparing(TaskPosition::id, Comparator.nullsFirst(Comparator.naturalOrder()));

  public TaskPosition {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative: " + seq);
    }
  }

  @Override
  public int compareTo(TaskPosition o) {
    return ORDER.compare(this, o);
  }

  /**
   * Whether a task at {@code p} comes after this cursor when paging oldest first ({@code newestFirst}
   * false) or newest first.
   */
  public boolean precedes(TaskPosition p, boolean newestFirst) {
    if (id == null) {
      return newestFirst ? p.seq < seq : p.seq > seq;
    }
    int c = p.compareTo(this);
    return newestFirst ? c < 0 : c > 0;
  }

  /** {@code seq:id} (or {@code seq} for a cursor without an id): what {@link #parse} reads back. */
  public String cursor() {
    return id == null ? Long.toString(seq) : seq + ":" + id;
  }

  /**
   * Reads a cursor: {@code seq} or {@code seq:id}.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static TaskPosition parse(String cursor) {
    Matcher m = cursor == null ? null : CURSOR.matcher(cursor);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("a cursor is a seq (a whole number) or seq:task_id, as next_cursor gives it");
    }
    return new TaskPosition(Long.parseLong(m.group(1)), m.group(2));
  }

  @Override
  public String toString() {
    return cursor();
  }
}
