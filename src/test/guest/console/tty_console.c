/*
 * Runs on kava's console, which ConsoleGuestTest puts on a host pty: a canonical-mode line
 * with an erase, ^C as SIGINT for the foreground group, one key in raw mode, SIGWINCH when
 * the host terminal is resized.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void handler(int sig) {
    got = sig;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = handler; /* no SA_RESTART: the read is interrupted */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGWINCH, &sa, NULL);

    struct winsize ws;
    ioctl(0, TIOCGWINSZ, &ws);
    printf("tty %d foreground %d leader %d size %dx%d\n", isatty(0), tcgetpgrp(0) == getpgrp(),
           getsid(0) == getpid(), ws.ws_col, ws.ws_row);

    char buf[128];
    printf("name> ");
    fflush(stdout);
    ssize_t n = read(0, buf, sizeof buf);
    printf("line %zd [%.*s]\n", n, n > 0 ? (int) n - 1 : 0, buf);

    printf("wait> ");
    fflush(stdout);
    n = read(0, buf, sizeof buf);
    printf("read %zd errno %d signal %d\n", n, n < 0 ? errno : 0, (int) got);

    struct termios saved, raw;
    tcgetattr(0, &saved);
    raw = saved;
    cfmakeraw(&raw);
    tcsetattr(0, TCSANOW, &raw);
    printf("key> ");
    fflush(stdout);
    n = read(0, buf, 1);
    tcsetattr(0, TCSANOW, &saved);
    printf("\nkey %zd %d\n", n, buf[0]);

    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGWINCH);
    sigprocmask(SIG_BLOCK, &block, &old);
    got = 0;
    printf("resize> ");
    fflush(stdout);
    while (got != SIGWINCH) sigsuspend(&old);
    ioctl(0, TIOCGWINSZ, &ws);
    printf("size %dx%d\n", ws.ws_col, ws.ws_row);
    return 0;
}
