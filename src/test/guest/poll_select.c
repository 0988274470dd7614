/* poll/ppoll/pselect6 on pipes: readable, writable, POLLHUP after the writer closes, POLLERR when
 * the reader is gone, POLLNVAL, negative fds, bad arguments, timeouts, a forked writer waking a
 * blocked poll, ppoll's temporary sigmask, pause() interrupted by alarm, F_GETPIPE_SZ/F_SETPIPE_SZ
 * and FIONREAD. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_sig(int sig) { got = sig; }

static void show(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

int main(void) {
    int p[2];
    if (pipe(p) != 0) return 1;
    struct pollfd fds[4];

    fds[0] = (struct pollfd){p[0], POLLIN | POLLOUT, 0};
    fds[1] = (struct pollfd){p[1], POLLIN | POLLOUT, 0};
    fds[2] = (struct pollfd){-5, POLLIN, 0x77};
    fds[3] = (struct pollfd){99, POLLIN, 0};
    show("poll empty", poll(fds, 4, 0));
    for (int i = 0; i < 4; i++) printf("  revents[%d]=%#x\n", i, fds[i].revents);

    write(p[1], "abc", 3);
    int n = -1;
    ioctl(p[0], FIONREAD, &n);
    printf("FIONREAD %d\n", n);
    show("poll data", poll(fds, 2, 0));
    printf("  revents %#x %#x\n", fds[0].revents, fds[1].revents);

    fds[0].events = POLLIN | POLLRDNORM | POLLPRI;
    show("poll rdnorm", poll(fds, 1, -1));
    printf("  revents %#x\n", fds[0].revents);

    /* fill the pipe: not writable any more */
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    char big[4096];
    memset(big, 'x', sizeof big);
    while (write(p[1], big, sizeof big) > 0) {}
    fds[1].events = POLLOUT;
    show("poll full", poll(&fds[1], 1, 10));
    printf("  revents %#x\n", fds[1].revents);
    printf("F_GETPIPE_SZ %d\n", fcntl(p[1], F_GETPIPE_SZ));
    show("F_SETPIPE_SZ small (busy)", fcntl(p[1], F_SETPIPE_SZ, 4096));
    show("F_SETPIPE_SZ 100000", fcntl(p[1], F_SETPIPE_SZ, 100000));
    show("F_SETPIPE_SZ on a non-pipe", fcntl(1 + 100, F_SETPIPE_SZ, 4096));
    show("poll after grow", poll(&fds[1], 1, 0));
    printf("  revents %#x\n", fds[1].revents);
    int devnull = open("/dev/null", O_RDONLY);
    show("F_GETPIPE_SZ /dev/null", fcntl(devnull, F_GETPIPE_SZ));
    close(devnull);
    close(p[0]);
    show("poll reader gone", poll(&fds[1], 1, 0));
    printf("  revents %#x\n", fds[1].revents);
    close(p[1]);

    /* POLLHUP after the writer closes */
    pipe(p);
    write(p[1], "z", 1);
    close(p[1]);
    fds[0] = (struct pollfd){p[0], POLLIN, 0};
    show("poll hup+data", poll(fds, 1, 0));
    printf("  revents %#x\n", fds[0].revents);
    char c;
    read(p[0], &c, 1);
    fds[0].events = 0;
    show("poll hup only (events 0)", poll(fds, 1, 0));
    printf("  revents %#x\n", fds[0].revents);
    close(p[0]);

    /* bad arguments */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct rlimit small = {16, rl.rlim_max};
    setrlimit(RLIMIT_NOFILE, &small);
    struct pollfd many[20];
    for (int i = 0; i < 20; i++) many[i] = (struct pollfd){-1, 0, 0};
    show("poll nfds > RLIMIT_NOFILE", poll(many, 17, 0));
    show("poll nfds == RLIMIT_NOFILE", poll(many, 16, 0));
    setrlimit(RLIMIT_NOFILE, &rl);
    struct timespec bad = {0, 1000000000};
    show("ppoll bad timespec", ppoll(fds, 1, &bad, NULL));
    sigset_t ss;
    sigemptyset(&ss);
    show("ppoll bad sigsetsize", syscall(SYS_ppoll, fds, 1, NULL, &ss, 4));
    show("ppoll bad fds pointer", syscall(SYS_ppoll, (void *)8, 1, NULL, NULL, 8));
    show("ppoll bad timespec pointer", syscall(SYS_ppoll, NULL, 0, (void *)8, NULL, 8));
    show("ppoll bad sigmask pointer", syscall(SYS_ppoll, NULL, 0, NULL, (void *)8, 8));
    show("pselect6 bad fd_set pointer", syscall(SYS_pselect6, 1, (void *)8, NULL, NULL, NULL, NULL));
    show("pselect6 bad sig argpack", syscall(SYS_pselect6, 0, NULL, NULL, NULL, NULL, (void *)8));
    show("poll timeout", poll(NULL, 0, 20));
    struct timespec ts = {0, 20000000};
    show("ppoll timeout", ppoll(NULL, 0, &ts, NULL));
    printf("  glibc keeps the timeout: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    show("raw ppoll timeout", syscall(SYS_ppoll, NULL, 0, &ts, NULL, 8));
    printf("  left %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);

    /* a forked writer wakes a blocked poll */
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        write(p[1], "hi", 2);
        _exit(0);
    }
    fds[0] = (struct pollfd){p[0], POLLIN, 0};
    show("poll waits for child", poll(fds, 1, 5000));
    printf("  revents %#x\n", fds[0].revents);
    waitpid(pid, NULL, 0);

    /* pselect6 */
    fd_set rs, ws;
    FD_ZERO(&rs); FD_ZERO(&ws);
    FD_SET(p[0], &rs); FD_SET(p[1], &ws); FD_SET(p[1], &rs);
    show("pselect", pselect(p[1] + 1, &rs, &ws, NULL, NULL, NULL));
    printf("  r0=%d r1=%d w1=%d\n", FD_ISSET(p[0], &rs), FD_ISSET(p[1], &rs), FD_ISSET(p[1], &ws));
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    read(p[0], fds, 2);
    struct timespec z = {0, 10000000};
    show("pselect timeout", pselect(p[0] + 1, &rs, NULL, NULL, &z, NULL));
    printf("  r0=%d\n", FD_ISSET(p[0], &rs));
    FD_ZERO(&rs);
    FD_SET(60, &rs);
    show("pselect closed fd", pselect(61, &rs, NULL, NULL, &z, NULL));
    show("pselect negative n", pselect(-1, NULL, NULL, NULL, &z, NULL));
    struct timeval tv = {0, 5000};
    show("select timeout", select(0, NULL, NULL, NULL, &tv));

    /* ppoll with a temporary mask: SIGUSR1 blocked outside, delivered inside */
    struct sigaction sa = {0};
    sa.sa_handler = on_sig;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    raise(SIGUSR1);
    printf("pending before ppoll: got=%d\n", got);
    sigset_t empty;
    sigemptyset(&empty);
    fds[0] = (struct pollfd){p[0], POLLIN, 0};
    show("ppoll with mask", ppoll(fds, 1, NULL, &empty));
    printf("  got=%d\n", got);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("  SIGUSR1 blocked again: %d\n", sigismember(&now, SIGUSR1));
    got = 0;
    struct timespec t0 = {0, 0};
    show("ppoll zero timeout with mask (no signal)", ppoll(fds, 1, &t0, &empty));

    /* pause() is ppoll(NULL, 0, NULL, NULL) on riscv64 */
    got = 0;
    alarm(1);
    show("pause", pause());
    printf("  got=%s\n", got == SIGALRM ? "SIGALRM" : "other");
    close(p[0]);
    close(p[1]);
    return 0;
}
