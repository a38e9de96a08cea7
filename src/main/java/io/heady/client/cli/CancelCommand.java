package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.TaskInfo;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code heady cancel ID}. */
@Command(name = "cancel",
    description = {"Cancel a task.", "A queued task never runs; a running one's process tree is killed."})
final class CancelCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "TASK_ID")
  String id;

  @Override
  public Integer call() {
    JsonObject t = client().post(ApiPaths.cancel(id), new JsonObject());
    if (json()) {
      top.printJson(t);
    } else {
      TaskInfo i = TaskInfo.fromJson(t);
      top.print(i.taskId() + "  " + i.status().wire() + (i.nodeId() != null ? " (on " + i.nodeId() + ")" : "") + "\n");
    }
    return ExitCodes.OK;
  }
}
