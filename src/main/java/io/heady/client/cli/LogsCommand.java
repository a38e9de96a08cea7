package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.TaskHandle;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heady logs ID [-f]}: a task's output. */
@Command(name = "logs", description = {"Print a task's output: its stdout to stdout, its stderr to stderr.",
    "With -f, follow it until the task finishes, then exit with its exit code as 'run --wait' does."})
final class LogsCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "TASK_ID")
  String id;

  @Option(names = {"-f", "--follow"}, description = "follow the output until the task finishes")
  boolean follow;

  @Override
  public Integer call() {
    if (follow) {
      TaskHandle h = client().handle(id);
      return RunCommand.await(top, h, null);
    }
    JsonObject log = client().get(ApiPaths.taskLog(id));
    if (json()) {
      top.printJson(log);
      return ExitCodes.OK;
    }
    String out = log.getString("stdout");
    String err = log.getString("stderr");
    if (out != null) {
      ctx().out().print(out);
      ctx().out().flush();
    }
    if (err != null) {
      ctx().err().print(err);
      ctx().err().flush();
    }
    return ExitCodes.OK;
  }
}
