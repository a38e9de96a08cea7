package io.heady.client.cli;

import io.heady.client.TaskRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of {@code run} and {@code submit} that say what a task may use on its node ({@code limits}) and
 * whom it runs as ({@code run_as}). Unset options send nothing, so the type's defaults of the policy apply.
 */
final class LimitOptions {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?",
      Pattern.CASE_INSENSITIVE);

  @Option(names = "--memory", paramLabel = "SIZE", converter = Mib.class,
      description = "the most memory it may hold: 512m, 2g, 1.5g (MiB without a unit); over it the task fails "
          + "with out_of_memory")
  Long memoryMb;

  @Option(names = "--cpus", paramLabel = "N", description = "how many CPUs' worth of time it may use: 1.5, 0.5")
  Double cpus;

  @Option(names = "--pids", paramLabel = "N", description = "how many processes and threads it may have at once")
  Long pids;

  @Option(names = "--output-mb", paramLabel = "N",
      description = "how much output (MiB) its node keeps; past it the task fails with output_limit")
  Long outputMb;

  @Option(names = "--run-as", paramLabel = "USER",
      description = "run as this user on the node (its operator must allow that user)")
  String runAs;

  /** Sets the options on a request (the builder checks the values). */
  void applyTo(TaskRequest.Builder b) {
    if (memoryMb != null) {
      b.memoryMb(memoryMb);
    }
    if (cpus != null) {
      b.cpus(cpus);
    }
    if (pids != null) {
      b.pids(pids);
    }
    if (outputMb != null) {
      b.outputMb(outputMb);
    }
    b.runAs(runAs);
  }

  /**
   * Lays the options under a task object of a file: what the task sets itself wins, each limit on its own. A
   * task with {@code limits} that is not an object is left for the manager to refuse.
   */
  void applyTo(JsonObject task) {
    TaskRequest.Builder b = TaskRequest.builder().type("shell");
    applyTo(b);
    JsonObject mine = b.build().toJson(); // why: the builder's checks, before anything is sent
    JsonObject limits = mine.getJsonObject("limits");
    if (limits != null && (task.getValue("limits") == null || task.getValue("limits") instanceof JsonObject)) {
      JsonObject own = task.getJsonObject("limits");
      task.put("limits", own == null ? limits : limits.copy().mergeIn(own));
    }
    if (runAs != null && task.getValue("run_as") == null) {
      task.put("run_as", runAs);
    }
  }

  boolean any() {
    return memoryMb != null || cpus != null || pids != null || outputMb != null || runAs != null;
  }

  /** Parses a size to MiB, rounded up: {@code 512m}, {@code 2g}, {@code 1.5G}, {@code 4096k}; no unit is MiB. */
  static long mib(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size: use 512m, 2g or 1.5g (MiB without a unit)");
    }
    double n = Double.parseDouble(m.group(1));
    double mib = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n / 1024;
      case "g" -> n * 1024;
      case "t" -> n * 1024 * 1024;
      default -> n;
    };
    if (mib > 1L << 40) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return (long) Math.ceil(mib);
  }

  /** picocli's converter for {@code --memory}. */
  static final class Mib implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return mib(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
