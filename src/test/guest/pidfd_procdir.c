/* pidfd_send_signal with a /proc/PID directory in place of a pidfd (pidfd_to_pid falls back to
 * tgid_pidfd_to_pid), as CPython's test_signal does: the signal goes to the process. Other
 * files are EBADF; an unopened descriptor is EBADF. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_sig(int s) { got = s; }

static long send(int fd, int sig) { return syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0); }

int main(void) {
    signal(SIGUSR1, on_sig);
    long r = send(-1, SIGUSR1);
    printf("bad fd: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    int null = open("/dev/null", O_RDONLY);
    r = send(null, SIGUSR1);
    printf("/dev/null: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    int proc = open("/proc", O_DIRECTORY | O_RDONLY);
    r = send(proc, SIGUSR1);
    printf("/proc: %ld %s\n", r, r < 0 ? strerror(errno) : "");

    char path[64];
    snprintf(path, sizeof path, "/proc/%d", getpid());
    int self = open(path, O_DIRECTORY | O_RDONLY);
    r = send(self, SIGUSR1);
    printf("/proc/self pid: %ld, handler saw %d\n", r, (int) got);
    int selflink = open("/proc/self", O_DIRECTORY | O_RDONLY);
    got = 0;
    r = send(selflink, SIGUSR1);
    printf("/proc/self: %ld, handler saw %d\n", r, (int) got);
    r = send(self, 0);
    printf("signal 0: %ld\n", r);
    int task = open("/proc/self/task", O_DIRECTORY | O_RDONLY);
    r = send(task, SIGUSR1);
    printf("/proc/self/task: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    snprintf(path, sizeof path, "/proc/self/task/%d", getpid());
    int tid = open(path, O_DIRECTORY | O_RDONLY);
    r = send(tid, SIGUSR1);
    printf("/proc/self/task/TID: %ld %s\n", r, r < 0 ? strerror(errno) : "");

    /* A child's directory: the signal kills it; after the reap, ESRCH. */
    pid_t c = fork();
    if (c == 0) { pause(); _exit(0); }
    snprintf(path, sizeof path, "/proc/%d", c);
    int child = open(path, O_DIRECTORY | O_RDONLY);
    r = send(child, SIGTERM);
    if (r != 0) kill(c, SIGKILL);
    int st;
    waitpid(c, &st, 0);
    printf("child: %ld, signaled %d sig %d\n", r, WIFSIGNALED(st), WTERMSIG(st));
    r = send(child, SIGTERM);
    printf("reaped child: %ld %s\n", r, r < 0 ? strerror(errno) : "");
    return 0;
}
