package io.heady.manager.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;

/**
 * The task reads of the Redis store: one task, the unfinished ones in queue order, the history in finish
 * order, and pages of tasks by status, node or type ({@link ClusterStore#tasks}) merged from the status indexes
 * ({@link RedisKeys}). An index is read first, then the documents it names, so a task that finished or expired
 * between the two reads is left out, never shown in a state it has left.
 */
final class RedisTaskReads {
  /** HMGET this many documents per command when reading many; all chunks go in one pipelined batch. */
  private static final int READ_CHUNK = 500;

  private final RedisLink link;
  private final RedisKeys keys;

  RedisTaskReads(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.keys = keys;
  }

  Future<JsonObject> task(String taskId) {
    return link.send(Request.cmd(Command.HGET).arg(keys.tasks()).arg(taskId)).map(RedisDocuments::json);
  }

  Future<List<JsonObject>> unfinishedTasks() {
    return link.send(Request.cmd(Command.ZRANGE).arg(keys.unfinished()).arg(0).arg(-1)).compose(r -> {
      List<String> ids = new ArrayList<>(r.size());
      r.forEach(v -> ids.add(v.toString()));
      return documents(ids);
    }).map(docs -> {
      List<JsonObject> out = new ArrayList<>(docs.size());
      for (JsonObject d : docs) {
        // why: the index was read first; a task that finished (or expired) since is no longer unfinished
        if (d != null && !StoreStates.finished(d.getString("status"))) {
          out.add(d);
        }
      }
      return out;
    });
  }

  Future<List<JsonObject>> history(int limit, long beforeFinishSeq) {
    if (limit <= 0) {
      return Future.succeededFuture(new ArrayList<>());
    }
    Request r = Request.cmd(Command.ZREVRANGEBYSCORE).arg(keys.finished())
        .arg(beforeFinishSeq <= 0 ? "+inf" : "(" + beforeFinishSeq).arg("-inf")
        .arg("WITHSCORES").arg("LIMIT").arg(0).arg(limit);
    return link.send(r).compose(page -> {
      List<String> ids = new ArrayList<>();
      List<Long> seqs = new ArrayList<>();
      pairs(page, ids, seqs);
      return documents(ids).map(docs -> {
        List<JsonObject> out = new ArrayList<>(docs.size());
        for (int i = docs.size() - 1; i >= 0; i--) {
          JsonObject d = docs.get(i);
          if (d != null) { // why: removed by retention between the two reads
            out.add(d.put("finish_seq", seqs.get(i)));
          }
        }
        return out;
      });
    });
  }

  Future<TaskPage> tasks(TaskQuery q) {
    // why: finished tasks have one index per status, unfinished ones share one (their status changes often);
    // an index whose members may not match (the shared one for some of its statuses, or any index under a
    // node or type filter) is read a scan window deep, the others only as deep as the page
    boolean allUnfinished = StoreStates.UNFINISHED.stream().allMatch(q::wants);
    List<String> indexes = new ArrayList<>();
    boolean exact = q.byStatusOnly();
    for (String status : StoreStates.FINAL) {
      if (q.wants(status)) {
        indexes.add(keys.done(status));
      }
    }
    if (StoreStates.UNFINISHED.stream().anyMatch(q::wants)) {
      indexes.add(keys.unfinished());
      exact &= allUnfinished;
    }
    if (indexes.isEmpty()) {
      return Future.succeededFuture(TaskPage.empty());
    }
    int window = exact ? Math.min(q.limit(), ClusterStore.MAX_SCAN) : ClusterStore.MAX_SCAN;
    TaskPosition after = q.after();
    List<Request> reads = new ArrayList<>();
    for (String index : indexes) {
      if (after != null && after.id() != null) {
        // the cursor's own seq: its ties after its id, then the seqs beyond
        reads.add(range(index, q.newestFirst(), Long.toString(after.seq()), Long.toString(after.seq()), window));
      }
      String from = after == null ? (q.newestFirst() ? "+inf" : "-inf") : "(" + after.seq();
      reads.add(range(index, q.newestFirst(), from, q.newestFirst() ? "-inf" : "+inf", window));
    }
    return link.batch(reads).compose(replies -> {
      List<IndexMerge.Slice> slices = new ArrayList<>();
      int per = reads.size() / indexes.size();
      for (int i = 0; i < indexes.size(); i++) {
        slices.add(slice(replies.subList(i * per, (i + 1) * per), q, window));
      }
      IndexMerge.Candidates c = IndexMerge.merge(slices, q.newestFirst(), window);
      IndexMerge.Collector page = new IndexMerge.Collector(q);
      return collect(c.positions(), 0, Math.min(q.limit(), window), page).map(v -> page.page(c));
    });
  }

  /** ZRANGEBYSCORE (or ZREVRANGEBYSCORE) WITHSCORES from {@code from} to {@code to}, at most {@code max}. */
  private static Request range(String index, boolean newestFirst, String from, String to, int max) {
    return Request.cmd(newestFirst ? Command.ZREVRANGEBYSCORE : Command.ZRANGEBYSCORE).arg(index).arg(from).arg(to)
        .arg("WITHSCORES").arg("LIMIT").arg(0).arg(max);
  }

  /** One index's slice from its replies: the ties of the cursor's seq (when asked), then the seqs beyond. */
  private static IndexMerge.Slice slice(List<Response> replies, TaskQuery q, int window) {
    List<TaskPosition> out = new ArrayList<>();
    for (int r = 0; r < replies.size(); r++) {
      List<String> ids = new ArrayList<>();
      List<Long> seqs = new ArrayList<>();
      pairs(replies.get(r), ids, seqs);
      boolean filled = ids.size() >= window;
      for (int i = 0; i < ids.size(); i++) {
        TaskPosition p = new TaskPosition(seqs.get(i), ids.get(i));
        if (q.afterCursor(p)) {
          out.add(p);
        }
      }
      if (filled) {
        // why: this reply did not reach its end; what the next one read lies beyond it and must wait. (A seq
        // shared by more tasks than the window, all at or before the cursor, would lose the rest of its ties; a
        // seq is shared only by tasks of different manager runs, a handful at most.)
        return new IndexMerge.Slice(out, true);
      }
    }
    return new IndexMerge.Slice(out, false);
  }

  /** Reads the candidates' documents a page's worth at a time until the page is full or they are all read. */
  private Future<Void> collect(List<TaskPosition> positions, int from, int chunk, IndexMerge.Collector page) {
    if (from >= positions.size() || page.full()) {
      return Future.succeededFuture();
    }
    List<TaskPosition> part = positions.subList(from, Math.min(positions.size(), from + chunk));
    List<String> ids = new ArrayList<>(part.size());
    part.forEach(p -> ids.add(p.id()));
    return documents(ids).compose(docs -> {
      for (int i = 0; i < part.size(); i++) {
        if (page.offer(part.get(i), docs.get(i))) {
          return Future.succeededFuture();
        }
      }
      return collect(positions, from + chunk, chunk, page);
    });
  }

  Future<Long> highestSeq() {
    return link.send(Request.cmd(Command.GET).arg(keys.maxSeq())).map(r -> r == null ? 0L : r.toLong());
  }

  /** WITHSCORES answers flat ({@code id, score, …}) in RESP2 and as pairs in RESP3; reads both. */
  private static void pairs(Response page, List<String> ids, List<Long> scores) {
    if (page.size() > 0 && page.get(0).type() == ResponseType.MULTI) {
      page.forEach(p -> {
        ids.add(p.get(0).toString());
        scores.add((long) Double.parseDouble(p.get(1).toString()));
      });
      return;
    }
    for (int i = 0; i + 1 < page.size(); i += 2) {
      ids.add(page.get(i).toString());
      scores.add((long) Double.parseDouble(page.get(i + 1).toString()));
    }
  }

  /** The documents of these tasks in this order ({@code null} where gone), in one pipelined batch. */
  private Future<List<JsonObject>> documents(List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(new ArrayList<>());
    }
    List<Request> chunks = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += READ_CHUNK) {
      Request r = Request.cmd(Command.HMGET).arg(keys.tasks());
      ids.subList(i, Math.min(ids.size(), i + READ_CHUNK)).forEach(r::arg);
      chunks.add(r);
    }
    return link.batch(chunks).map(replies -> {
      List<JsonObject> out = new ArrayList<>(ids.size());
      replies.forEach(reply -> reply.forEach(v -> out.add(RedisDocuments.json(v))));
      return out;
    });
  }
}
