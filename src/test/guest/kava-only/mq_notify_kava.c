/* mq_notify (ipc/mqueue.c do_mq_notify, __do_notify): SIGEV_SIGNAL fires once when a message
 * arrives in an empty queue, EBUSY while registered, NULL unregisters, the status line shows
 * the registration. qemu-user does not forward mq_notify, so Linux's output (the same program
 * built for the host) is in mq_notify_kava.expected. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHECK(x) printf("%-60s %s\n", #x, (x) ? "ok" : "FAIL")

static volatile int got_sig, got_code;

static void on_sig(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    got_sig = sig;
    got_code = si->si_code == SI_MESGQ && si->si_value.sival_int == 42;
}

static void recv_one(mqd_t q) {
    char buf[128];
    unsigned prio = 99;
    ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
    if (n < 0) printf("receive: %s\n", strerror(errno));
    else printf("receive: %zd bytes prio %u \"%.*s\"\n", n, prio, (int)n, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char name[64], status[128];
    ssize_t n;
    snprintf(name, sizeof name, "/kava-mq-notify-%d", getpid());
    struct mq_attr attr = {0, 4, 128, 0, {0}};
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    CHECK(q != (mqd_t)-1);
    /* mq_notify with a signal: fires when a message arrives in the empty queue, once. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 42;
    CHECK(mq_notify(q, &ev) == 0);
    CHECK(mq_notify(q, &ev) == -1 && errno == EBUSY);
    n = pread(q, status, sizeof status - 1, 0);
    status[n > 0 ? n : 0] = 0;
    printf("status: %.*s\n", (int)(strstr(status, "NOTIFY_PID:") - status), status);
    CHECK(mq_send(q, "ping", 4, 0) == 0);
    for (int i = 0; i < 1000 && !got_sig; i++) usleep(1000);
    printf("signal %d, SI_MESGQ with the value: %d\n", got_sig, got_code);
    n = pread(q, status, sizeof status - 1, 0);
    status[n > 0 ? n : 0] = 0;
    printf("status: %s", status);
    recv_one(q);
    CHECK(mq_notify(q, &ev) == 0);
    CHECK(mq_notify(q, NULL) == 0);
    CHECK(mq_notify(q, &ev) == 0);
    ev.sigev_notify = 99;
    CHECK(mq_notify(q, &ev) == -1 && errno == EINVAL);

    CHECK(mq_close(q) == 0);
    CHECK(mq_unlink(name) == 0);
    return 0;
}
