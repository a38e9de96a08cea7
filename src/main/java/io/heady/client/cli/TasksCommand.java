package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.TaskInfo;
import io.heady.client.TaskStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heady tasks}: the task list, newest first, with the API's filters, a page at a time; finished
 * tasks come from the store when the manager no longer holds them, so they are listed after a restart too.
 */
@Command(name = "tasks", sortOptions = false,
    description = {"List tasks, newest first; filter by status, node, type or time; page with --cursor.",
        "Times: an ISO-8601 time (2026-12-07T22:00:00Z), a date (midnight UTC) or a span back from now (90s, 15m, "
            + "1h30m, 2d, 1w)."})
final class TasksCommand extends SubCommand {
  /** A page shorter than asked (the manager stops after a bounded read) is topped up with this many more reads. */
  static final int MAX_READS = 20;

  @Option(names = "--status", paramLabel = "STATUS",
      description = "waiting, queued, dispatched, running, succeeded, failed, timed_out, cancelled, skipped")
  String status;

  @Option(names = "--node", paramLabel = "NODE", description = "only tasks that ran on this node (id or name)")
  String node;

  @Option(names = "--type", paramLabel = "TYPE", description = "only tasks of this type (shell, build, ...)")
  String type;

  @Option(names = "--since", paramLabel = "TIME", description = "only tasks submitted at or after TIME (1h: in the "
      + "last hour)")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "only tasks submitted before TIME")
  String until;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
      description = "at most N tasks per page (1-1000; default 100)")
  int limit;

  @Option(names = "--oldest-first", description = "in submission order, oldest first")
  boolean oldestFirst;

  @Option(names = "--order", paramLabel = "ORDER", description = "newest (the default) or oldest")
  String order;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "the next page: the cursor the last page printed")
  String cursor;

  @Override
  public Integer call() {
    if (status != null && TaskStatus.fromWire(status) == TaskStatus.UNKNOWN) {
      throw usage("--status must be one of waiting, queued, dispatched, running, succeeded, failed, timed_out, "
          + "cancelled, skipped");
    }
    if (type != null && !type.matches("[a-z0-9_.-]{1,64}")) {
      throw usage("--type must match [a-z0-9_.-]{1,64}");
    }
    if (limit < 1 || limit > 1000) {
      throw usage("--limit must be 1 to 1000");
    }
    if (order != null && !order.equals("newest") && !order.equals("oldest")) {
      throw usage("--order must be newest or oldest");
    }
    if (order != null && oldestFirst && order.equals("newest")) {
      throw usage("--oldest-first and --order newest say opposite things; give one");
    }
    oldestFirst |= "oldest".equals(order);
    JsonObject page = read();
    if (json()) {
      top.printJson(page);
      return ExitCodes.OK;
    }
    List<TaskInfo> tasks = new ArrayList<>();
    if (page.getValue("tasks") instanceof JsonArray a) {
      a.forEach(o -> tasks.add(TaskInfo.fromJson((JsonObject) o)));
    }
    String out = Render.tasks(tasks, ctx().clock().instant());
    String next = page.getString("next_cursor");
    if (next != null) {
      out += "next page: " + nextPage(next) + "\n";
    }
    top.print(out);
    return ExitCodes.OK;
  }

  /**
   * One page of up to {@code --limit} tasks: the manager reads a bounded number of stored tasks per request, so a
   * page it answers short (with a next cursor) is topped up from there, a few reads at most. The reply is the
   * manager's, with the tasks of every read; a relative {@code --since}/{@code --until} is fixed at the first
   * read's time, so the reads (and the next page) cover one window.
   */
  JsonObject read() {
    String o = oldestFirst ? "oldest" : "newest";
    JsonObject page = client().get(ApiPaths.tasks(status, node, type, since, until, limit, cursor, o));
    since = page.getString("since", since);
    until = page.getString("until", until);
    JsonArray all = page.getJsonArray("tasks", new JsonArray());
    String next = page.getString("next_cursor");
    for (int reads = 1; next != null && all.size() < limit && reads < MAX_READS; reads++) {
      JsonObject more = client().get(ApiPaths.tasks(status, node, type, since, until, limit - all.size(), next, o));
      more.getJsonArray("tasks", new JsonArray()).forEach(all::add);
      next = more.getString("next_cursor");
    }
    return page.put("tasks", all).put("count", all.size()).put("next_cursor", next);
  }

  /** The command that prints the page after this one: these filters, from the cursor. */
  String nextPage(String next) {
    StringBuilder sb = new StringBuilder("heady tasks");
    if (status != null) {
      sb.append(" --status ").append(status);
    }
    if (node != null) {
      sb.append(" --node ").append(shellWord(node));
    }
    if (type != null) {
      sb.append(" --type ").append(type);
    }
    if (since != null) {
      sb.append(" --since ").append(shellWord(since));
    }
    if (until != null) {
      sb.append(" --until ").append(shellWord(until));
    }
    if (limit != 100) {
      sb.append(" --limit ").append(limit);
    }
    if (oldestFirst) {
      sb.append(" --oldest-first");
    }
    return sb.append(" --cursor ").append(next).toString();
  }

  /** A word the shell reads back as itself. */
  static String shellWord(String s) {
    return s.matches("[A-Za-z0-9._:/@+=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
