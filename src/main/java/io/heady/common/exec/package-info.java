/**
 * Running one task's process, safely and completely: {@link io.heady.common.exec.ProcessRunner} starts a
 * {@link io.heady.common.exec.ProcessSpec} and hands back a {@link io.heady.common.exec.RunningProcess} whose
 * future completes with a {@link io.heady.common.exec.ProcessOutcome}; nothing here throws at the caller
 * for a task that cannot run, it reports a failed outcome instead.
 *
 * <p><b>One process creation per task.</b> On Linux (glibc 2.34+) {@link io.heady.common.exec.NativeSpawner}
 * starts each task with {@code posix_spawn}: its own session ({@code POSIX_SPAWN_SETSID}), its priority from the
 * niced spawner thread it is spawned by, on cgroup v1 its control groups from that thread too (it joins them for
 * the spawn and goes back), stdin {@code /dev/null}, no descriptor of the node. Only a user switch or process
 * limits still run a prefix program. Where that cannot work (decided once, logged once) tasks start through
 * {@link java.lang.ProcessBuilder} with the {@code setsid} and {@code nice} programs, as before.
 *
 * <p><b>A task owns its process group.</b> On Linux every task is started in a session of its own, so its
 * pid is also the id of a new session and process group. When the task ends for any reason (it exits, it
 * times out, it is cancelled) every process still in that group is sent SIGTERM, then SIGKILL after the
 * spec's kill grace. A task therefore cannot leave background work behind ({@code server &} dies with the
 * task); a program that deliberately leaves the group (its own {@code setsid}, a double-forking daemon)
 * escapes only if it is no longer a descendant of the task when the task is killed. Where {@code setsid}
 * does not exist (macOS) the runner kills {@link java.lang.ProcessHandle#descendants()} then the process,
 * which cannot reach children already orphaned by a shell that exited.
 *
 * <p><b>A task owns its control group, where the node can make one.</b> A runner built with a
 * {@link io.heady.common.exec.contain.Containment} (the agent's and the local executor's are) starts each attempt
 * inside a control group of its own with the attempt's limits, as the node's task user (see
 * {@code io.heady.common.exec.contain}). Then every kill (exit, timeout, cancel, output limit, shutdown) is a kill
 * of the whole group, which a program cannot leave, and what is left when the task's first process ends dies
 * with it unless the task's type allows a daemon. The outcome says why an attempt failed when the node knows
 * ({@code out_of_memory}, {@code output_limit}), what it used, and how it was contained.
 *
 * <p>At the usual end nothing walks {@code /proc}: after the leader is reaped, one read of its control group (or,
 * without one, {@code kill(-pgid, 0)}) tells whether anything is left, and only then is it killed.
 *
 * <p>Processes are only ever stopped by pid, process-group id or control group, never by name; a pid is never
 * signalled after it was reaped.
 *
 * <p><b>Threads.</b> Each running task holds two threads of the runner's {@code threads} executor for its
 * whole life (one blocking reader per output stream), plus short jobs there for spawning and for killing
 * (a kill job blocks up to the kill grace); a natively spawned task holds a third for its {@code waitid}, a
 * ProcessBuilder one gets the JDK's own "process reaper" thread instead. The
 * {@code timers} executor only schedules (timeouts, nothing blocking runs on it). {@code threads} must
 * therefore be unbounded or sized well above twice the node's concurrent tasks: a Vert.x worker pool is
 * not suitable. The outcome future completes on a {@code threads} thread.
 *
 * <p><b>Progress.</b> {@link io.heady.common.exec.TaskSlots#progress()} tells, for every running task, what
 * the watchdog counts as signs of life: output bytes, CPU time and bytes read or written by the task's
 * process group (one walk of {@code /proc} for all tasks; unknown where there is no {@code /proc}), and the
 * explicit reports the task appends to the file named by {@code HEADY_PROGRESS_FILE}
 * ({@link io.heady.common.exec.ProcessSpec#PROGRESS_FILE_ENV}). Each figure is a total for the attempt that
 * never goes down.
 */
package io.heady.common.exec;
