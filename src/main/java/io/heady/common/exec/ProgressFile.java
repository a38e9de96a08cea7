package io.heady.common.exec;

import io.heady.common.protocol.TaskProgress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The explicit progress reports of one attempt: a file the task appends lines to (its path is in the task's
 * {@code HEADY_PROGRESS_FILE}). Each line is one report; the last non-empty line is the note shown with the
 * task.
 *
 * <p>{@link #poll} looks at the file's size and modification time and, when either changed, reads at most
 * the last {@link #WINDOW} bytes: a task that writes gigabytes there costs neither memory nor time. The
 * report count grows by the number of line ends among the new bytes it read, and by at least one for any
 * change (a line without its end yet, a file rewritten with {@code >} instead of appended to); so with more
 * than {@link #WINDOW} bytes between two polls it undercounts, but it always grows when the task reported.
 *
 * <p>The file is read by path without following links, and only when it is a regular file (a task that
 * puts a FIFO or a link there is ignored, not waited on). Thread-safe.
 */
final class ProgressFile {
  /** The most of the file one poll reads: its end. */
  static final int WINDOW = 4096;

  private final Path path;
  private long size;
  private FileTime modified;
  private long reports;
  private String note;
  private long bytesRead;

  ProgressFile(Path path) {
    this.path = path;
  }

  /** Creates the file empty (replacing an old one) with its missing parent directories. */
  static void create(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.deleteIfExists(path); // why: a link or FIFO a previous attempt left there is replaced, not opened
    Files.createFile(path);
  }

  /**
   * Creates the file empty and, when {@code ownerOf} is given, gives it to the owner of that folder (the task's
   * user, who must be able to append to it).
   */
  static void create(Path path, Path ownerOf) throws IOException {
    create(path);
    if (ownerOf != null) {
      Files.setAttribute(path, "unix:uid", Files.getAttribute(ownerOf, "unix:uid"));
      Files.setAttribute(path, "unix:gid", Files.getAttribute(ownerOf, "unix:gid"));
    }
  }

  /** Removes the file; quietly does nothing when it is already gone or cannot be removed. */
  static void remove(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException | RuntimeException e) {
      // why: a leftover file only costs a few bytes; the next attempt of the task replaces it
    }
  }

  synchronized long reports() {
    return reports;
  }

  /** The last report's text, or {@code null} before the first non-empty one. */
  synchronized String note() {
    return note;
  }

  /** Bytes read from the file so far (tests check the bound). */
  synchronized long bytesRead() {
    return bytesRead;
  }

  /** Takes in what the task wrote since the last poll. Never throws: an unreadable file changes nothing. */
  synchronized void poll() {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      return; // gone (the attempt ended) or not readable
    }
    if (!a.isRegularFile()) {
      return;
    }
    long len = a.size();
    FileTime m = a.lastModifiedTime();
    if (len == size && m.equals(modified)) {
      return;
    }
    boolean rewritten = len <= size && modified != null;
    long fresh = rewritten ? len : len - size;
    size = len;
    modified = m;
    if (len == 0) {
      return; // created, or emptied: nothing was reported
    }
    byte[] buf;
    int n;
    try {
      buf = new byte[(int) Math.min(len, WINDOW)];
      n = readEnd(len, buf);
    } catch (IOException | RuntimeException e) {
      return;
    }
    bytesRead += n;
    int newlines = 0;
    for (int i = n - (int) Math.min(fresh, n); i < n; i++) {
      if (buf[i] == '\n') {
        newlines++;
      }
    }
    reports += Math.max(1, newlines);
    String last = lastLine(buf, n, len > buf.length);
    if (last != null) {
      note = last;
    }
  }

  /** Reads the bytes of the file that end at {@code len} into {@code buf}; how many it got. */
  private int readEnd(long len, byte[] buf) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      ch.position(len - buf.length);
      ByteBuffer bb = ByteBuffer.wrap(buf);
      while (bb.hasRemaining() && ch.read(bb) > 0) {
        // read until the window is full or the file ends (it may have been cut meanwhile)
      }
      return bb.position();
    }
  }

  /**
   * The last non-empty line of {@code buf[0..n)}, cleaned: control characters removed (a tab becomes a
   * space), trimmed, at most {@link TaskProgress#MAX_NOTE} characters; {@code null} when every line is empty.
   *
   * @param cut the buffer starts inside the file, so a first partial UTF-8 character is skipped
   */
  static String lastLine(byte[] buf, int n, boolean cut) {
    int from = 0;
    while (cut && from < n && (buf[from] & 0xC0) == 0x80) {
      from++;
    }
    String text = new String(buf, from, n - from, StandardCharsets.UTF_8);
    int end = text.length();
    while (end > 0) {
      int start = text.lastIndexOf('\n', end - 1) + 1;
      String line = clean(text.substring(start, end));
      if (!line.isEmpty()) {
        return line;
      }
      end = start - 1;
    }
    return null;
  }

  static String clean(String line) {
    StringBuilder b = new StringBuilder(Math.min(line.length(), TaskProgress.MAX_NOTE + 16));
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\t') {
        b.append(' ');
      } else if (!Character.isISOControl(c)) {
        b.append(c);
      }
    }
    String s = b.toString().strip();
    if (s.length() <= TaskProgress.MAX_NOTE) {
      return s;
    }
    int cutAt = TaskProgress.MAX_NOTE;
    if (Character.isHighSurrogate(s.charAt(cutAt - 1))) {
      cutAt--; // why: never leave half of a character at the end
    }
    return s.substring(0, cutAt).strip();
  }
}
