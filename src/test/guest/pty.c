/* Pseudo-terminals through /dev/ptmx and devpts: the slave's name, locking, canonical input
   with echo, raw mode, ^C as SIGINT for the slave's foreground group, hangup on master close. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, const char *buf, int n) {
    printf("%s: %d [", what, n);
    for (int i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127) putchar(c); else printf("\\x%02x", c);
    }
    printf("]\n");
}

/* Reads what the master has within 200 ms (the echo, output processing). */
static int drain(int fd, char *buf, int size) {
    int total = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (total < size && poll(&p, 1, 200) == 1 && (p.revents & POLLIN)) {
        int n = read(fd, buf + total, size - total);
        if (n <= 0) break;
        total += n;
    }
    return total;
}

int main(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) { perror("posix_openpt"); return 1; }
    char *name = ptsname(m);
    printf("ptsname under /dev/pts: %s\n", name && strncmp(name, "/dev/pts/", 9) == 0 ? "yes" : "no");
    int n;
    printf("TIOCGPTN matches: %s\n", ioctl(m, TIOCGPTN, &n) == 0 && atoi(name + 9) == n ? "yes" : "no");
    int s = open(name, O_RDWR | O_NOCTTY);
    printf("open while locked: %s\n", s < 0 ? strerror(errno) : "opened");
    printf("grantpt: %d, unlockpt: %d\n", grantpt(m), unlockpt(m));
    s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) { perror("open slave"); return 1; }
    struct stat st;
    fstat(s, &st);
    printf("slave is a char device: %s, owner rw: %o\n", S_ISCHR(st.st_mode) ? "yes" : "no", st.st_mode & 0700);
    printf("isatty(slave)=%d isatty(master)=%d\n", isatty(s), isatty(m));
    printf("read of 0 bytes from the slave: %zd\n", read(s, (char[1]){0}, 0));

    char buf[256];
    write(m, "hello\x7fo world\n", 14);
    int k = drain(m, buf, sizeof buf);
    show("echo", buf, k);
    k = read(s, buf, sizeof buf);
    show("slave reads a line", buf, k);
    write(s, "out\n", 4);
    k = drain(m, buf, sizeof buf);
    show("master reads (onlcr)", buf, k);

    struct termios t;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    write(m, "abc", 3);
    k = drain(s, buf, sizeof buf);
    show("raw slave reads", buf, k);
    k = drain(m, buf, sizeof buf);
    show("no echo in raw mode", buf, k);

    /* A child in its own session with the slave as controlling terminal gets ^C as SIGINT. */
    tcgetattr(s, &t);
    t.c_lflag |= ISIG | ICANON | ECHO;
    tcsetattr(s, TCSANOW, &t);
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        int c = open(name, O_RDWR); /* a session leader's first tty becomes its controlling terminal */
        if (c < 0) _exit(2);
        pid_t fg = tcgetpgrp(c);
        write(c, fg == getpid() ? "fg\n" : "notfg\n", fg == getpid() ? 3 : 6);
        pause();
        _exit(0);
    }
    k = drain(m, buf, sizeof buf);
    show("child says", buf, k);
    write(m, "\x03", 1);
    int status;
    waitpid(pid, &status, 0);
    printf("child killed by %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "nothing");
    k = drain(m, buf, sizeof buf);
    show("echo of ^C", buf, k);

    close(m);
    k = read(s, buf, sizeof buf);
    printf("slave read after master close: %d\n", k);
    k = write(s, "x", 1);
    printf("slave write after master close: %d %s\n", k, k < 0 ? strerror(errno) : "");
    close(s);
    return 0;
}
