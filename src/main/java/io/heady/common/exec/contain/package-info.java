/**
 * Containment of task processes: which means this machine allows ({@link
 * io.heady.common.exec.contain.ContainmentProbe}: cgroup v2, cgroup v1, process resource limits, or none), one
 * control group per attempt with its limits ({@link io.heady.common.exec.contain.Confined}), the user tasks
 * run as ({@link io.heady.common.exec.contain.TaskUser}), a kill nothing escapes ({@link
 * io.heady.common.exec.contain.GroupKill}), and what an attempt used ({@link
 * io.heady.common.exec.contain.CgroupStats}). {@link io.heady.common.exec.contain.Containment} puts them
 * together for the runner of {@code io.heady.common.exec}.
 *
 * <p><b>Placement before exec.</b> A task's process puts itself into its group before the user's command
 * starts: the launch runs {@code /bin/sh -c 'echo $$ > …/cgroup.procs; …; exec "$@"'}, then switches to the
 * task user, then execs the command. Every process the command starts is born inside the group, so no child
 * can start outside it, whatever it does with sessions or process groups.
 *
 * <p><b>Files, not syscalls.</b> Everything here reads and writes files under a root directory that is
 * {@code /} on a node and a temporary folder in tests, which build fake cgroup trees there.
 *
 * <p>Nothing here is called on an event loop: group creation, kills and reads are blocking file work.
 */
package io.heady.common.exec.contain;
