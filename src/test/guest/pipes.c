/* Pipes: pipe2 flags, EOF when writers close, EAGAIN when non-blocking, EPIPE + SIGPIPE when readers
 * close, atomic writes up to PIPE_BUF, capacity, packet mode, and a pipe between two processes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_sigpipe;
static void on_sigpipe(int sig) { (void)sig; got_sigpipe++; }

int main(void) {
    int p[2];
    char buf[128];
    printf("pipe2 bad flags: %d %s\n", pipe2(p, O_TRUNC), strerror(errno));
    if (pipe2(p, O_CLOEXEC) != 0) { perror("pipe2"); return 1; }
    printf("cloexec: %d %d\n", fcntl(p[0], F_GETFD) & FD_CLOEXEC, fcntl(p[1], F_GETFD) & FD_CLOEXEC);
    printf("access modes: %d %d\n", fcntl(p[0], F_GETFL) & O_ACCMODE, fcntl(p[1], F_GETFL) & O_ACCMODE);
    struct stat st;
    fstat(p[0], &st);
    printf("fifo: %d\n", S_ISFIFO(st.st_mode));
    printf("write: %zd\n", write(p[1], "hello", 5));
    printf("read: %zd\n", read(p[0], buf, sizeof buf));
    printf("write to read end: %zd %s\n", write(p[0], "x", 1), strerror(errno));
    close(p[1]);
    printf("eof: %zd\n", read(p[0], buf, sizeof buf));
    close(p[0]);

    pipe2(p, O_NONBLOCK);
    printf("empty nonblock read: %zd %s\n", read(p[0], buf, sizeof buf), strerror(errno));
    static char big[70000];
    memset(big, 'a', sizeof big);
    ssize_t n = write(p[1], big, sizeof big);
    printf("fill: %zd\n", n);
    printf("full nonblock write: %zd %s\n", write(p[1], "x", 1), strerror(errno));
    long total = 0;
    while ((n = read(p[0], big, sizeof big)) > 0) total += n;
    printf("drained: %ld\n", total);
    close(p[0]);
    signal(SIGPIPE, on_sigpipe);
    printf("no reader: %zd %s sigpipe=%d\n", write(p[1], "x", 1), strerror(errno), (int)got_sigpipe);
    close(p[1]);

    pipe2(p, O_DIRECT);
    write(p[1], "one", 3);
    write(p[1], "two!", 4);
    printf("packet 1: %zd\n", read(p[0], buf, sizeof buf));
    printf("packet 2: %zd\n", read(p[0], buf, 2));
    close(p[0]);
    close(p[1]);

    /* parent -> child -> parent through two pipes */
    int down[2], up[2];
    pipe2(down, 0);
    pipe2(up, 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        long sum = 0;
        while ((n = read(down[0], buf, sizeof buf)) > 0)
            for (ssize_t i = 0; i < n; i++) sum += (unsigned char)buf[i];
        dprintf(up[1], "child sum %ld\n", sum);
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    for (int i = 0; i < 1000; i++) write(down[1], "0123456789", 10);
    close(down[1]);
    n = read(up[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    fputs(buf, stdout);
    int status;
    waitpid(pid, &status, 0);
    printf("child status %d\n", WEXITSTATUS(status));
    return 0;
}
