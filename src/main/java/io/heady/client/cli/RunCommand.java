package io.heady.client.cli;

import io.heady.client.Submission;
import io.heady.client.TaskHandle;
import io.heady.client.TaskRequest;
import io.heady.client.TaskResult;
import io.heady.client.TaskStatus;
import io.heady.common.protocol.Priority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heady run "<cmd>"}: submit one shell task, optionally wait for it like a local command. */
@Command(name = "run", sortOptions = false,
    description = {"Run a shell command on the best node, or on the one named by --on.",
    "With --wait: show progress on stderr (on a terminal), print the task's stdout and stderr, and exit with its "
        + "exit code (timed out: 124, cancelled: 130, failed without a code or skipped: 1)."})
final class RunCommand extends SubCommand {
  @Parameters(arity = "1..*", paramLabel = "COMMAND",
      description = "the command, run by /bin/sh -c (quote it; several words are joined with spaces)")
  List<String> command;

  @Option(names = "--on", paramLabel = "NODE", description = "run on this node (id or name)")
  String on;

  @Option(names = "--type", paramLabel = "TYPE", description = "task type for the routing policy (default: shell)")
  String type;

  @Option(names = "--priority", paramLabel = "P0..P3", description = "P0 (most urgent) to P3; default P2")
  Priority priority;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "kill it after this long: 500ms, 90s, 5m, 1h (default: the type's)")
  Duration timeout;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "only on nodes with this label (repeatable)")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--env", paramLabel = "NAME=VALUE", description = "environment variable for the task (repeatable)")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(names = "--secret", paramLabel = "NAME|VAR=NAME", description = "give the task the cluster's secret NAME "
      + "as the variable NAME (or VAR); repeatable. The value never passes through this command: 'heady secret set "
      + "NAME' stores it, the manager hands it to the node that runs the task, output shows it as ***")
  List<String> secrets = new java.util.ArrayList<>();

  @Option(names = "--cwd", paramLabel = "DIR", description = "working directory on the node")
  String cwd;

  @Option(names = "--retries", paramLabel = "N", description = "try again up to N times when it fails (default 0)")
  Integer retries;

  @Option(names = "--id", paramLabel = "ID", description = "your own task id (submitting it again is a no-op)")
  String id;

  @Mixin
  LimitOptions limits = new LimitOptions();

  @Option(names = {"-w", "--wait"}, description = "wait for the task; print its output; exit with its code")
  boolean waitFor;

  @Override
  public Integer call() {
    String cmd = String.join(" ", command).strip();
    if (cmd.isEmpty()) {
      throw usage("the command is empty");
    }
    if (retries != null && (retries < 0 || retries > 99)) {
      throw usage("--retries must be 0 to 99");
    }
    TaskRequest.Builder b = TaskRequest.command(cmd).node(on).type(type).priority(priority).timeout(timeout)
        .labels(labels).env(env).cwd(cwd).id(id);
    if (retries != null) {
      b.retries(retries);
    }
    for (String s : secrets) {
      int eq = s.indexOf('=');
      String variable = eq < 0 ? s : s.substring(0, eq);
      String name = eq < 0 ? s : s.substring(eq + 1);
      try {
        b.secret(variable, name);
      } catch (IllegalArgumentException e) {
        throw usage("--secret " + s + ": " + e.getMessage());
      }
    }
    limits.applyTo(b);
    TaskHandle h = client().submit(b.build());
    Submission s = h.submission().orElseThrow();
    if (!waitFor) {
      if (json()) {
        top.printJson(s.json());
      } else {
        top.print(Render.submitted(s) + "\n");
      }
      return ExitCodes.OK;
    }
    return await(top, h, s);
  }

  /** Waits for a task as {@code run --wait} does; returns the exit code. */
  static int await(HeadyCommand top, TaskHandle h, Submission s) {
    CliContext ctx = top.ctx;
    if (top.json) {
      TaskResult r = h.await();
      top.printJson(r.json());
      return ExitCodes.of(r);
    }
    Progress progress = new Progress(ctx, ctx.stderrTty(), s);
    Thread hook = new Thread(() -> progress.interrupted(h.id()));
    Runtime.getRuntime().addShutdownHook(hook);
    TaskResult r;
    try {
      r = h.await(null, progress);
    } finally {
      progress.clear();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
    }
    if (r.status() != TaskStatus.SUCCEEDED && !(r.status() == TaskStatus.FAILED && r.exitCode() != null
        && r.exitCode() != 0)) {
      top.note(Render.unsuccessful(r));
    }
    return ExitCodes.of(r);
  }
}
