package io.heady.manager.identity;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrollments of a manager without a durable store, in one file of its data dir (0600): one JSON line
 * appended per change ({@code {"put": enrollment}} or {@code {"delete": node_id}}) and flushed to the disk
 * ({@code fsync}) before the change is answered, so a node answered 201 survives a crash of the manager right
 * after. Changes that arrive while a flush runs are written together by the next one, and the file is
 * rewritten whole (compacted) only when it holds twice as many lines as live enrollments: each change costs a
 * line, not the whole file (rewriting thousands of enrollments at each enrollment took seconds). File I/O runs
 * on worker threads; each change's future completes on the caller's context.
 *
 * <p>A last line cut short by a crash belongs to a change that was never answered: it is skipped. The
 * {@code enrollments.json} of earlier versions (a JSON array, rewritten whole at each change) is read once and
 * replaced.
 */
final class EnrollmentFile implements Enrollments.Book {
  private static final Logger LOG = LoggerFactory.getLogger(EnrollmentFile.class);
  /** Lines below which the file is never compacted. */
  static final int COMPACT_FLOOR = 64;

  /** A change waiting for the next flush, and who waits for it. */
  private record Change(JsonObject line, Context context, Promise<Void> done) {}

  private final Vertx vertx;
  private final Path file;
  private final Path legacy;
  private final List<Change> queue = new ArrayList<>();
  // guarded by this: what the file holds, its open channel, its lines and its size after the last flush
  private final Map<String, JsonObject> live = new LinkedHashMap<>();
  private FileChannel out;
  private int lines;
  private long flushedSize;
  private long written;

  /** @param file the journal ({@code <data-dir>/identity/enrollments.jsonl}) */
  EnrollmentFile(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
    this.legacy = file.resolveSibling("enrollments.json");
  }

  @Override
  public Future<List<JsonObject>> load() {
    return vertx.executeBlocking(this::read);
  }

  @Override
  public Future<Void> save(JsonObject enrollment) {
    return append(new JsonObject().put("put", enrollment.copy()));
  }

  @Override
  public Future<Void> delete(String nodeId) {
    return append(new JsonObject().put("delete", nodeId));
  }

  /** Reads the journal (or the earlier versions' file) and opens it for appending. Blocking. */
  synchronized List<JsonObject> read() throws IOException {
    live.clear();
    closeQuietly();
    Files.createDirectories(file.getParent());
    if (Files.isRegularFile(file)) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      boolean whole = true;
      lines = 0;
      for (String line : text.split("\n")) {
        lines++;
        whole &= parse(line);
      }
      if (whole && (text.isEmpty() || text.endsWith("\n"))) {
        open();
      } else {
        compact(); // why: appending after half a line would spoil the next one
      }
    } else if (Files.isRegularFile(legacy)) {
      new JsonArray(Files.readString(legacy, StandardCharsets.UTF_8))
          .forEach(o -> live.put(((JsonObject) o).getString("node_id"), (JsonObject) o));
      compact();
      Files.delete(legacy);
      LOG.info("moved {} enrollments from {} to {}", live.size(), legacy, file);
    } else {
      compact(); // an empty journal, made 0600 now
    }
    List<JsonObject> out = new ArrayList<>();
    live.values().forEach(j -> out.add(j.copy()));
    return out;
  }

  /** Applies one line read from the file; false when it is not whole. */
  private boolean parse(String line) {
    if (line.isBlank()) {
      return true;
    }
    try {
      apply(new JsonObject(line));
      return true;
    } catch (RuntimeException e) {
      LOG.warn("skipped a line of {} that is not whole (a write cut short by a crash: never answered)", file);
      return false;
    }
  }

  /** Bytes written to the disk since this was made (appends and compactions): what the changes cost. */
  synchronized long bytesWritten() {
    return written;
  }

  private void apply(JsonObject j) {
    if (j.getValue("put") instanceof JsonObject e && e.getString("node_id") != null) {
      live.put(e.getString("node_id"), e);
    } else if (j.getValue("delete") instanceof String id) {
      live.remove(id);
    }
  }

  private Future<Void> append(JsonObject line) {
    Promise<Void> done = Promise.promise();
    synchronized (queue) {
      queue.add(new Change(line, vertx.getOrCreateContext(), done));
    }
    // why: not ordered: a flush already running takes what is queued meanwhile; the others find nothing to do
    vertx.executeBlocking(() -> {
      flush();
      return null;
    }, false);
    return done.future();
  }

  /** Writes every queued change in one append and one {@code fsync}; compacts when the file grew. Blocking. */
  private synchronized void flush() {
    List<Change> batch;
    synchronized (queue) {
      batch = new ArrayList<>(queue);
      queue.clear();
    }
    if (batch.isEmpty()) {
      return;
    }
    Throwable failed = null;
    try {
      if (out == null) {
        open();
      }
      StringBuilder sb = new StringBuilder();
      batch.forEach(c -> sb.append(c.line().encode()).append('\n'));
      ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      written += bytes.remaining();
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(false);
      flushedSize = out.size();
      lines += batch.size();
      batch.forEach(c -> apply(c.line()));
    } catch (IOException | RuntimeException e) {
      failed = e;
      undoTornWrite();
    }
    if (failed == null && lines >= COMPACT_FLOOR && lines > 2 * live.size()) {
      try {
        compact();
      } catch (IOException | RuntimeException e) {
        // why: the changes are on disk already; the journal only stays longer until the next try
        LOG.warn("cannot compact {}: {}", file, e.getMessage());
      }
    }
    Throwable cause = failed;
    batch.forEach(c -> c.context().runOnContext(v -> {
      if (cause == null) {
        c.done().complete();
      } else {
        c.done().fail(cause);
      }
    }));
  }

  /** After a failed write: cut what it left, so the next line does not run on from half a line. */
  private void undoTornWrite() {
    try {
      if (out != null) {
        out.truncate(flushedSize);
      }
    } catch (IOException e) {
      LOG.warn("cannot cut {} back to its last whole line: {}", file, e.getMessage());
      closeQuietly();
    }
  }

  /** Rewrites the file with one line per live enrollment (a new file moved into place) and reopens it. */
  private void compact() throws IOException {
    closeQuietly();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel c = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        privateFile())) {
      StringBuilder sb = new StringBuilder();
      live.values().forEach(e -> sb.append(new JsonObject().put("put", e).encode()).append('\n'));
      ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      written += bytes.remaining();
      while (bytes.hasRemaining()) {
        c.write(bytes);
      }
      c.force(false);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
    lines = live.size();
    open();
  }

  private void open() throws IOException {
    out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND), privateFile());
    flushedSize = out.size();
  }

  /** why: a rename is durable only once the folder that holds it is flushed too (where the system allows it). */
  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot flush the folder {}: {}", file.getParent(), e.getMessage());
    }
  }

  private FileAttribute<?>[] privateFile() {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.debug("closing {}: {}", file, e.getMessage());
      }
      out = null;
    }
  }
}
