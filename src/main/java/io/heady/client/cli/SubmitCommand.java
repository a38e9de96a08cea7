package io.heady.client.cli;

import io.heady.client.ApiPaths;
import io.heady.client.DagHandle;
import io.heady.client.TaskHandle;
import io.heady.client.TaskResult;
import io.heady.client.TaskStatus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heady submit dag.json}: submit a task or a DAG of tasks from a JSON file. */
@Command(name = "submit", sortOptions = false,
    description = {"Submit a task or a DAG of tasks from a JSON file.",
    "The file ('-': stdin) holds {\"tasks\": [...]} or a list [...] of task objects (ids and depends_on link "
        + "them), or one task object; fields as POST /api/cluster/tasks/route. With --wait, wait for every task "
        + "and exit 0 only if all succeeded. --memory, --cpus, --pids, --output-mb and --run-as apply to every task "
        + "of the file that does not set them itself."})
final class SubmitCommand extends SubCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "the JSON file, or - for stdin")
  String file;

  @Mixin
  LimitOptions limits = new LimitOptions();

  @Option(names = {"-w", "--wait"}, description = "wait for every task; exit with the first failure's code")
  boolean waitFor;

  @Override
  public Integer call() {
    JsonObject body = body(read());
    JsonObject reply = client().post(ApiPaths.ROUTE, body);
    boolean dag = body.containsKey("tasks");
    List<TaskHandle> handles = new ArrayList<>();
    String dagId = null;
    if (dag) {
      DagHandle d = client().dagFromReply(reply);
      handles.addAll(d.tasks());
      dagId = d.dagId();
    } else {
      handles.add(client().handle(reply.getString("task_id")));
    }
    if (!waitFor) {
      if (json()) {
        top.printJson(reply);
      } else {
        top.print(submittedTable(dagId, reply));
      }
      return ExitCodes.OK;
    }
    List<TaskResult> results = new ArrayList<>();
    for (TaskHandle h : handles) {
      results.add(h.await());
    }
    int rc = ExitCodes.OK;
    for (TaskResult r : results) {
      if (r.status() != TaskStatus.SUCCEEDED) {
        rc = ExitCodes.of(r);
        break;
      }
    }
    if (json()) {
      JsonArray tasks = new JsonArray();
      results.forEach(r -> tasks.add(r.json()));
      top.printJson(new JsonObject().put("dag_id", dagId).put("tasks", tasks));
    } else {
      Table t = new Table("TASK", "STATUS", "EXIT", "NODE", "DURATION", "REASON").right(2, 4);
      for (TaskResult r : results) {
        t.row(r.taskId(), r.status().wire(), r.exitCode(), r.nodeId(),
            r.durationMs() > 0 ? Durations.format(r.durationMs()) : "", r.reason());
      }
      top.print((dagId != null ? "dag " + dagId + "\n" : "") + t.render());
    }
    return rc;
  }

  private String read() {
    try {
      if (file.equals("-")) {
        return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw usage("no such file: " + file);
    } catch (IOException e) {
      throw usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The request body for a file's JSON: a DAG as is, a list as a DAG, one object as one task. */
  JsonObject body(String text) {
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw usage(file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (parsed instanceof JsonArray a) {
      return withLimits(new JsonObject().put("tasks", a));
    }
    if (parsed instanceof JsonObject o) {
      return withLimits(o);
    }
    throw usage(file + " must hold a JSON object or a list of task objects");
  }

  /** The limit options laid under every task of the body (one task, or each of {@code tasks}). */
  private JsonObject withLimits(JsonObject body) {
    if (limits == null || !limits.any()) {
      return body;
    }
    if (!(body.getValue("tasks") instanceof JsonArray tasks)) {
      limits.applyTo(body);
      return body;
    }
    for (Object t : tasks) {
      if (t instanceof JsonObject o) {
        limits.applyTo(o);
      }
    }
    return body;
  }

  private static String submittedTable(String dagId, JsonObject reply) {
    JsonArray tasks = reply.getValue("tasks") instanceof JsonArray a ? a : new JsonArray().add(reply);
    Table t = new Table("TASK", "STATUS", "NODE", "NOTE");
    for (Object o : tasks) {
      JsonObject x = (JsonObject) o;
      t.row(x.getString("task_id"), x.getString("status"), x.getString("node_name") != null
          ? x.getString("node_name") : x.getString("node_id"), x.getString("waiting_reason"));
    }
    return (dagId != null ? "dag " + dagId + ": " + t.size() + " tasks\n" : "") + t.render();
  }
}
