package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.TaskInfo;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heady task ID}: one task's record, attempts and placement. */
@Command(name = "task", description = "Show one task: status, exit code, node, attempts, placement.")
final class TaskCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "TASK_ID")
  String id;

  @Override
  public Integer call() {
    JsonObject t = client().get(ApiPaths.task(id));
    if (json()) {
      top.printJson(t);
    } else {
      top.print(Render.task(TaskInfo.fromJson(t), ctx().clock().instant()));
    }
    return ExitCodes.OK;
  }
}
