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

/** {@code heady tasks}: the task list with filters. */
@Command(name = "tasks", sortOptions = false, description = "List tasks, oldest first; filter by status or node.")
final class TasksCommand extends SubCommand {
  @Option(names = "--status", paramLabel = "STATUS",
      description = "waiting, queued, dispatched, running, succeeded, failed, timed_out, cancelled, skipped")
  String status;

  @Option(names = "--node", paramLabel = "NODE", description = "only tasks on this node (id)")
  String node;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
      description = "at most N tasks (1-1000; default 100)")
  int limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "continue after this cursor (from the last page)")
  String cursor;

  @Override
  public Integer call() {
    if (status != null && TaskStatus.fromWire(status) == TaskStatus.UNKNOWN) {
      throw usage("--status must be one of waiting, queued, dispatched, running, succeeded, failed, timed_out, "
          + "cancelled, skipped");
    }
    if (limit < 1 || limit > 1000) {
      throw usage("--limit must be 1 to 1000");
    }
    JsonObject page = client().get(ApiPaths.tasks(status, node, limit, cursor));
    if (json()) {
      top.printJson(page);
      return ExitCodes.OK;
    }
    List<TaskInfo> tasks = new ArrayList<>();
    if (page.getValue("tasks") instanceof JsonArray a) {
      a.forEach(o -> tasks.add(TaskInfo.fromJson((JsonObject) o)));
    }
    String out = Render.tasks(tasks, ctx().clock().instant());
    if (page.getString("next_cursor") != null) {
      out += "more: heady tasks --cursor " + page.getString("next_cursor")
          + (status != null ? " --status " + status : "") + (node != null ? " --node " + node : "") + "\n";
    }
    top.print(out);
    return ExitCodes.OK;
  }
}
