package io.heady.common.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import io.heady.common.exec.contain.CgroupMounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a task's program with one process creation: glibc's {@code posix_spawn} with
 * {@code POSIX_SPAWN_SETSID} (the task leads its own session and process group), {@code /dev/null} as stdin,
 * two pipes as stdout and stderr, every other descriptor of this JVM closed ({@code addclosefrom_np(3)}), the
 * working directory set in the child ({@code addchdir_np}) and an environment built by the caller.
 *
 * <p><b>Priority.</b> Linux keeps the nice value per thread and a child inherits its creator's, so each
 * niceness has a lane: one thread, niced once, that does every spawn at that niceness.
 *
 * <p><b>Control group (cgroup v1).</b> A child also inherits its creator thread's control groups. For a spawn
 * with {@link Request#placeIn()}, the lane thread writes its own thread id into each group's {@code tasks},
 * spawns, then writes itself back into the groups it was in before (read from
 * {@code /proc/thread-self/cgroup} just before). So the task is in its groups before any of its code runs,
 * without a wrapper. A lane thread that cannot move back is retired loudly (it ends, and with it its place in
 * the attempt's groups); the spawns queued behind it go to a fresh thread. While the lane thread is inside, it
 * counts in the group's {@code pids}: a limit of 1 leaves no room for the child, so callers place such
 * attempts with the shell prefix instead ({@link #placeable}).
 *
 * <p>{@link #system()} decides once per JVM whether this works here (Linux, glibc with every call, JNA loads,
 * a trial spawn succeeds) and logs the decision once; where it does not, the runner uses
 * {@link ProcessBuilder} with the {@code setsid}/{@code nice} programs, as before.
 */
final class NativeSpawner {
  private static final Logger LOG = LoggerFactory.getLogger(NativeSpawner.class);
  private static final String[] REQUIRED = {"posix_spawn", "posix_spawnattr_setflags",
      "posix_spawn_file_actions_addclosefrom_np", "posix_spawn_file_actions_addchdir_np", "pipe2", "waitid",
      "setpriority", "getpriority", "gettid", "kill", "read"};

  /**
   * What to start.
   *
   * @param path the program file ({@code posix_spawn} does not search PATH)
   * @param argv the whole argument vector, argv[0] included
   * @param env the whole environment
   * @param dir the working directory, or {@code null} for this JVM's
   * @param niceness added to this JVM's nice value (0, 5, 10)
   * @param placeIn cgroup v1 group directories to start the task in (empty: stay in the lane thread's)
   */
  record Request(String path, List<String> argv, Map<String, String> env, String dir, int niceness,
      List<Path> placeIn) {}

  /** Why a spawn did not happen (the message completes "cannot run program \"x\": "). */
  static final class SpawnException extends Exception {
    SpawnException(String message) {
      super(message);
    }
  }

  private static final class Holder {
    static final Probe PROBE = probe();
  }

  /** The outcome of the one-time check. */
  record Probe(NativeSpawner spawner, String reason) {}

  private final Libc libc;
  private final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();
  private volatile String mountinfo;

  NativeSpawner(Libc libc) {
    this.libc = libc;
  }

  /** This JVM's native spawner, or {@code null} where it cannot run ({@link #unavailableReason()}). */
  static NativeSpawner system() {
    return Holder.PROBE.spawner();
  }

  /** Why this JVM uses {@link ProcessBuilder} instead; {@code null} when the native spawner runs. */
  static String unavailableReason() {
    return Holder.PROBE.reason();
  }

  /** How this JVM spawns tasks, in words for the node's record and log. */
  static String describe() {
    String why = unavailableReason();
    return why == null ? "tasks spawn natively (posix_spawn)" : "tasks spawn through ProcessBuilder: " + why;
  }

  /** Whether attempts with this pids limit (0: none) can be placed by the lane thread (it counts while inside). */
  static boolean placeable(long pidsLimit) {
    return pidsLimit == 0 || pidsLimit >= 2;
  }

  Libc libc() {
    return libc;
  }

  private static Probe probe() {
    Probe p = check();
    if (p.reason() == null) {
      LOG.info("tasks spawn natively: posix_spawn with setsid, closefrom and a thread per niceness");
    } else {
      LOG.warn("tasks spawn through ProcessBuilder with the setsid and nice programs: {}", p.reason());
    }
    return p;
  }

  private static Probe check() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
      return new Probe(null, "not Linux");
    }
    Libc libc;
    try {
      NativeLibrary c = NativeLibrary.getInstance("c");
      for (String f : REQUIRED) {
        c.getFunction(f);
      }
      libc = Native.load("c", Libc.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return new Probe(null, "the C library lacks what it needs (glibc 2.34+): " + e.getMessage());
    }
    NativeSpawner s = new NativeSpawner(libc);
    try {
      // why: a trial spawn proves the flags and file actions work here before any task depends on them
      NativeTaskProcess t = s.spawn(new Request("/bin/sh", List.of("sh", "-c", "exit 7"), Map.of(), null, 0,
          List.of()));
      t.watch(r -> {
        Thread th = new Thread(r, "heady-spawn-probe");
        th.setDaemon(true);
        th.start();
      });
      t.stdout().close();
      t.stderr().close();
      int code = t.exit().get();
      if (code != 7) {
        return new Probe(null, "a trial spawn exited " + code + ", not 7");
      }
    } catch (SpawnException | ExecutionException | IOException | RuntimeException | Error e) {
      return new Probe(null, "a trial spawn failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(null, "interrupted while probing");
    }
    return new Probe(s, null);
  }

  /** Spawns on the request's lane and waits for it; blocks the caller for the spawn only. */
  NativeTaskProcess spawn(Request r) throws SpawnException, InterruptedException {
    // why: a retired lane thread hands its queued spawns back; they go to its fresh successor
    for (int tries = 0; tries < 3; tries++) {
      Job job = new Job(r);
      lanes.computeIfAbsent(r.niceness(), Lane::new).submit(job);
      Object result;
      try {
        result = job.done.get();
      } catch (ExecutionException e) {
        throw new SpawnException(String.valueOf(e.getCause()));
      }
      if (result instanceof NativeTaskProcess p) {
        return p;
      }
      if (result instanceof SpawnException e) {
        throw e;
      }
    }
    throw new SpawnException("the spawner thread could not return to its own control groups");
  }

  /** A spawn waiting for its lane: completes with the process, a {@link SpawnException}, or {@link #RETRY}. */
  private record Job(Request request, CompletableFuture<Object> done) {
    Job(Request request) {
      this(request, new CompletableFuture<>());
    }
  }

  private static final Object RETRY = new Object();

  /** One thread at one niceness, and the spawns queued for it. */
  private final class Lane {
    private final int niceness;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    // guarded by this
    private Thread thread;

    Lane(int niceness) {
      this.niceness = niceness;
    }

    synchronized void submit(Job job) {
      queue.add(job);
      if (thread == null) {
        // why: made by the caller (a runner thread in the JVM's own groups), never by a lane thread, whose
        // groups and nice value a new thread would inherit
        thread = new Thread(this::serve, "heady-spawn-nice" + niceness);
        thread.setDaemon(true);
        thread.start();
      }
    }

    private void serve() {
      int tid = libc.gettid();
      String niced = nice(tid);
      while (true) {
        Job job;
        try {
          job = queue.take();
        } catch (InterruptedException e) {
          retire();
          return;
        }
        if (niced != null) {
          job.done.complete(new SpawnException(niced));
          continue;
        }
        boolean stuck = false;
        try {
          job.done.complete(spawnHere(tid, job.request()));
        } catch (SpawnException e) {
          job.done.complete(e);
        } catch (StuckException e) {
          stuck = true;
          job.done.complete(e.spawned);
          LOG.error("retiring the spawner thread {}: it cannot return to its own control groups ({}); "
              + "it ends now, and a fresh thread takes its queue", Thread.currentThread().getName(), e.getMessage());
        } catch (RuntimeException | Error e) {
          job.done.complete(new SpawnException("the native spawner failed: " + e));
        }
        if (stuck) {
          retire();
          return;
        }
      }
    }

    private String nice(int tid) {
      if (niceness == 0) {
        return null;
      }
      try {
        int base = libc.getpriority(Libc.PRIO_PROCESS, tid);
        libc.setpriority(Libc.PRIO_PROCESS, tid, Math.min(19, base + niceness));
        return null;
      } catch (LastErrorException e) {
        return "cannot lower the spawner thread's priority by " + niceness + ": errno " + e.getErrorCode();
      }
    }

    /** This thread stops serving: what is queued goes back to the callers, who resubmit to a fresh thread. */
    private void retire() {
      List<Job> left = new ArrayList<>();
      synchronized (this) {
        thread = null;
        queue.drainTo(left);
      }
      left.forEach(j -> j.done.complete(RETRY));
    }
  }

  /** The lane thread spawned, but could not leave the attempt's groups. */
  private static final class StuckException extends Exception {
    final Object spawned;

    StuckException(String message, Object spawned) {
      super(message);
      this.spawned = spawned;
    }
  }

  /** Runs on a lane thread: into the groups, spawn, back out. */
  private Object spawnHere(int tid, Request r) throws SpawnException, StuckException {
    if (r.placeIn().isEmpty()) {
      return spawnNow(r);
    }
    List<Path> home = ownGroups(r.placeIn());
    String self = Integer.toString(tid);
    int placed = 0;
    String failed = null;
    for (Path g : r.placeIn()) {
      try {
        writeTask(g, self);
        placed++;
      } catch (IOException e) {
        failed = "cannot put the task into its control group " + g + ": " + e.getMessage();
        break;
      }
    }
    Object spawned = null;
    SpawnException error = null;
    if (failed == null) {
      try {
        spawned = spawnNow(r);
      } catch (SpawnException e) {
        error = e;
      }
    }
    String back = moveBack(self, home, placed);
    if (back != null) {
      Object result = failed != null ? new SpawnException(failed) : error != null ? error : spawned;
      throw new StuckException(back, result);
    }
    if (failed != null) {
      throw new SpawnException(failed);
    }
    if (error != null) {
      throw error;
    }
    return spawned;
  }

  private static void writeTask(Path group, String tid) throws IOException {
    Files.write(group.resolve("tasks"), tid.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
  }

  /** Moves this thread back home; {@code null} when it is back everywhere, else what failed. */
  private String moveBack(String tid, List<Path> home, int placed) {
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < placed; i++) {
      Path h = home.get(i);
      if (h == null) {
        failures.add("no own group known for " + i);
        continue;
      }
      try {
        writeTask(h, tid);
      } catch (IOException e) {
        failures.add(h + ": " + e.getMessage());
      }
    }
    return failures.isEmpty() ? null : String.join("; ", failures);
  }

  /** For each attempt group, the group this thread is in now in the same hierarchy ({@code null}: unknown). */
  private List<Path> ownGroups(List<Path> attemptGroups) throws SpawnException {
    String info = mountinfo;
    try {
      if (info == null) {
        info = Files.readString(Path.of("/proc/self/mountinfo"));
        mountinfo = info;
      }
      CgroupMounts m = CgroupMounts.parse(info, Files.readString(Path.of("/proc/thread-self/cgroup")));
      List<Path> out = new ArrayList<>();
      for (Path g : attemptGroups) {
        Path home = null;
        for (CgroupMounts.Hierarchy h : m.v1().values()) {
          if (g.startsWith(Path.of(h.mount()))) {
            home = Path.of(h.group());
          }
        }
        if (home == null) {
          throw new SpawnException("cannot tell which control group the spawner thread is in for " + g);
        }
        out.add(home);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw new SpawnException("cannot read the spawner thread's control groups: " + e);
    }
  }

  /** The spawn itself, on whatever thread calls it. */
  private NativeTaskProcess spawnNow(Request r) throws SpawnException {
    int[] out = new int[2];
    int[] err = new int[2];
    try {
      libc.pipe2(out, Libc.O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new SpawnException("cannot make a pipe: errno " + e.getErrorCode());
    }
    try {
      libc.pipe2(err, Libc.O_CLOEXEC);
    } catch (LastErrorException e) {
      closeQuietly(libc, out[0]);
      closeQuietly(libc, out[1]);
      throw new SpawnException("cannot make a pipe: errno " + e.getErrorCode());
    }
    Memory attr = new Memory(Libc.OPAQUE_BYTES);
    Memory actions = new Memory(Libc.OPAQUE_BYTES);
    Memory empty = new Memory(Libc.OPAQUE_BYTES);
    Memory all = new Memory(Libc.OPAQUE_BYTES);
    int rc;
    IntByReference pid = new IntByReference();
    libc.posix_spawnattr_init(attr);
    libc.posix_spawn_file_actions_init(actions);
    try {
      libc.sigemptyset(empty);
      libc.sigfillset(all);
      // why: the task starts with no signal blocked and every signal at its default, whatever this JVM set
      check(libc.posix_spawnattr_setflags(attr,
          (short) (Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF)), "setflags");
      check(libc.posix_spawnattr_setsigmask(attr, empty), "setsigmask");
      check(libc.posix_spawnattr_setsigdefault(attr, all), "setsigdefault");
      // why: a task that reads stdin (cat, a prompt) must see end-of-file, not wait until its timeout
      check(libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Libc.O_RDONLY, 0), "addopen");
      check(libc.posix_spawn_file_actions_adddup2(actions, out[1], 1), "adddup2");
      check(libc.posix_spawn_file_actions_adddup2(actions, err[1], 2), "adddup2");
      if (r.dir() != null) {
        check(libc.posix_spawn_file_actions_addchdir_np(actions, r.dir()), "addchdir");
      }
      // why: none of this JVM's descriptors (sockets, the data dir's files, other tasks' pipes) reach the task
      check(libc.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom");
      List<String> env = new ArrayList<>(r.env().size());
      r.env().forEach((k, v) -> env.add(k + "=" + v));
      rc = libc.posix_spawn(pid, r.path(), actions, attr, new StringArray(r.argv().toArray(new String[0])),
          new StringArray(env.toArray(new String[0])));
    } catch (SpawnException | RuntimeException e) {
      closeAll(out, err);
      throw e;
    } finally {
      libc.posix_spawn_file_actions_destroy(actions);
      libc.posix_spawnattr_destroy(attr);
    }
    closeQuietly(libc, out[1]);
    closeQuietly(libc, err[1]);
    if (rc != 0) {
      closeQuietly(libc, out[0]);
      closeQuietly(libc, err[0]);
      throw new SpawnException(errorText(rc));
    }
    return new NativeTaskProcess(libc, pid.getValue(), out[0], err[0]);
  }

  private void closeAll(int[] out, int[] err) {
    closeQuietly(libc, out[0]);
    closeQuietly(libc, out[1]);
    closeQuietly(libc, err[0]);
    closeQuietly(libc, err[1]);
  }

  private static void check(int rc, String what) throws SpawnException {
    if (rc != 0) {
      throw new SpawnException("posix_spawn " + what + " failed: errno " + rc);
    }
  }

  static String errorText(int errno) {
    switch (errno) {
      case 2:
        return "No such file or directory";
      case 13:
        return "Permission denied";
      case 8:
        return "Exec format error";
      case 20:
        return "Not a directory";
      case 11:
        return "Resource temporarily unavailable (process limit)";
      case 12:
        return "Cannot allocate memory";
      default:
        return "errno " + errno;
    }
  }

  static void closeQuietly(Libc libc, int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // why: nothing to do about a failed close of our own pipe end
    }
  }

  /** Whether any process is left in process group {@code pgid} ({@code kill(-pgid, 0)}; zombies count). */
  boolean groupLeft(long pgid) {
    try {
      libc.kill((int) -pgid, 0);
      return true;
    } catch (LastErrorException e) {
      return e.getErrorCode() != Libc.ESRCH;
    }
  }

  /** Sends a signal to every process of group {@code pgid}; errors (no such group) are ignored. */
  void signalGroup(long pgid, boolean force) {
    if (pgid <= 1) {
      return;
    }
    try {
      libc.kill((int) -pgid, force ? Libc.SIGKILL : Libc.SIGTERM);
    } catch (LastErrorException e) {
      // why: an empty group is the goal
    }
  }
}
