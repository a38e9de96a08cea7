package io.heady.common.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * The glibc calls heady's native spawner uses ({@link NativeSpawner}), bound through JNA. Functions that set
 * {@code errno} throw {@link LastErrorException}; the {@code posix_spawn*} family returns its error number
 * instead. Linux (x86-64 and arm64 share every constant below).
 */
interface Libc extends Library {
  int POSIX_SPAWN_SETSIGDEF = 0x04;
  int POSIX_SPAWN_SETSIGMASK = 0x08;
  /** glibc 2.26+: the child calls setsid() before it execs. */
  int POSIX_SPAWN_SETSID = 0x80;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int P_PID = 1;
  int WEXITED = 4;
  int WNOWAIT = 0x01000000;
  int PRIO_PROCESS = 0;
  int EINTR = 4;
  int ESRCH = 3;
  int ECHILD = 10;
  int SIGTERM = 15;
  int SIGKILL = 9;
  /** Room for glibc's posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t (80) and sigset_t (128). */
  int OPAQUE_BYTES = 1024;

  int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, StringArray argv,
      StringArray envp);

  int posix_spawnattr_init(Pointer attr);

  int posix_spawnattr_destroy(Pointer attr);

  int posix_spawnattr_setflags(Pointer attr, short flags);

  int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

  int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

  int posix_spawn_file_actions_init(Pointer actions);

  int posix_spawn_file_actions_destroy(Pointer actions);

  int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

  int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

  /** glibc 2.34+. */
  int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

  /** glibc 2.29+. */
  int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

  int sigemptyset(Pointer set) throws LastErrorException;

  int sigfillset(Pointer set) throws LastErrorException;

  int pipe2(int[] fds, int flags) throws LastErrorException;

  int POLLIN = 0x1;

  /** {@code fds}: an array of {@code struct pollfd} (int fd, short events, short revents: 8 bytes each). */
  int poll(Pointer fds, NativeLong count, int timeoutMs) throws LastErrorException;

  NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int waitid(int idType, int id, Pointer info, int options) throws LastErrorException;

  int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

  int kill(int pid, int sig) throws LastErrorException;

  int setpriority(int which, int who, int prio) throws LastErrorException;

  int getpriority(int which, int who) throws LastErrorException;

  /** glibc 2.30+. */
  int gettid();
}
