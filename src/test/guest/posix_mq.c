/* POSIX message queues: open/send/receive by priority, attributes, O_NONBLOCK EAGAIN, a
 * blocked receiver across fork, the status line, unlink. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x) printf("%-60s %s\n", #x, (x) ? "ok" : "FAIL")

static void recv_one(mqd_t q) {
    char buf[128];
    unsigned prio = 99;
    ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
    if (n < 0) printf("receive: %s\n", strerror(errno));
    else printf("receive: %zd bytes prio %u \"%.*s\"\n", n, prio, (int)n, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char name[64];
    snprintf(name, sizeof name, "/kava-mq-test-%d", getpid());
    mq_unlink(name);
    struct mq_attr attr = {0, 4, 128, 0, {0}};
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    CHECK(q != (mqd_t)-1);
    CHECK(mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr) == (mqd_t)-1 && errno == EEXIST);
    CHECK(mq_open("/kava-mq-does-not-exist", O_RDWR) == (mqd_t)-1 && errno == ENOENT);
    CHECK(mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL) == (mqd_t)-1 && errno == EACCES);
    CHECK((fcntl(q, F_GETFD) & FD_CLOEXEC) != 0);
    struct mq_attr bad = {0, 0, 128, 0, {0}};
    CHECK(mq_open("/kava-mq-bad", O_CREAT | O_RDWR, 0600, &bad) == (mqd_t)-1 && errno == EINVAL);

    struct mq_attr a;
    CHECK(mq_getattr(q, &a) == 0);
    printf("attr: flags=%ld maxmsg=%ld msgsize=%ld curmsgs=%ld\n", a.mq_flags, a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);

    CHECK(mq_send(q, "low", 3, 1) == 0);
    CHECK(mq_send(q, "high", 4, 10) == 0);
    CHECK(mq_send(q, "mid", 3, 5) == 0);
    CHECK(mq_send(q, "high2", 5, 10) == 0);
    CHECK(mq_getattr(q, &a) == 0 && a.mq_curmsgs == 4);
    char status[128];
    ssize_t n = read(q, status, sizeof status - 1);
    status[n > 0 ? n : 0] = 0;
    printf("status: %s", status);

    /* Full: O_NONBLOCK gives EAGAIN; a timed send times out. */
    struct mq_attr nb = {O_NONBLOCK, 0, 0, 0, {0}}, old;
    CHECK(mq_setattr(q, &nb, &old) == 0 && old.mq_flags == 0);
    CHECK(mq_send(q, "x", 1, 0) == -1 && errno == EAGAIN);
    nb.mq_flags = 0;
    CHECK(mq_setattr(q, &nb, NULL) == 0);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    CHECK(mq_timedsend(q, "x", 1, 0, &ts) == -1 && errno == ETIMEDOUT);
    CHECK(mq_send(q, "x", 200, 0) == -1 && errno == EMSGSIZE);
    CHECK(mq_send(q, "x", 1, 32768) == -1 && errno == EINVAL);

    for (int i = 0; i < 4; i++) recv_one(q);
    char small[16];
    CHECK(mq_receive(q, small, sizeof small, NULL) == -1 && errno == EMSGSIZE);
    nb.mq_flags = O_NONBLOCK;
    mq_setattr(q, &nb, NULL);
    CHECK(mq_receive(q, status, sizeof status, NULL) == -1 && errno == EAGAIN);
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    CHECK(mq_timedreceive(q, status, sizeof status, NULL, &ts) == -1 && errno == ETIMEDOUT);

    /* A receiver blocked in a child gets the parent's message. */
    pid_t c = fork();
    if (c == 0) {
        char buf[128];
        unsigned prio;
        ssize_t r = mq_receive(q, buf, sizeof buf, &prio);
        _exit(r == 5 && prio == 7 && memcmp(buf, "hello", 5) == 0 ? 3 : 1);
    }
    usleep(100000);
    CHECK(mq_send(q, "hello", 5, 7) == 0);
    int st;
    waitpid(c, &st, 0);
    printf("receiver exited %d\n", WEXITSTATUS(st));

    /* (mq_notify: src/test/guest/kava-only/mq_notify_kava.c; qemu-user does not forward it.) */
    CHECK(mq_send(-1, "x", 1, 0) == -1 && errno == EBADF);
    CHECK(mq_send(0, "x", 1, 0) == -1 && errno == EBADF);
    CHECK(mq_close(q) == 0);
    mqd_t r = mq_open(name, O_RDONLY);
    CHECK(r != (mqd_t)-1);
    CHECK(mq_send(r, "x", 1, 0) == -1 && errno == EBADF);
    CHECK(mq_unlink(name) == 0);
    CHECK(mq_unlink(name) == -1 && errno == ENOENT);
    CHECK(mq_open(name, O_RDWR) == (mqd_t)-1 && errno == ENOENT);
    CHECK(mq_close(r) == 0);
    return 0;
}
