/*
 * mq_notify with SIGEV_THREAD: glibc opens a netlink socket, the kernel sends the 32-byte
 * cookie to it when a message arrives in the empty queue (ipc/mqueue.c __do_notify), and
 * glibc's helper thread calls the function. qemu-user does not forward mq_notify, so the
 * .expected output is this program built for x86-64 and run on a Linux 6.18 host.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sem_t done;
static int seen_value;

static void on_message(union sigval v) {
    seen_value = v.sival_int;
    sem_post(&done);
}

int main(void) {
    const char *name = "/kava_mq_notify_thread";
    mq_unlink(name);
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
    mqd_t q = mq_open(name, O_CREAT | O_RDWR | O_EXCL, 0600, &attr);
    if (q == (mqd_t)-1) { perror("mq_open"); return 1; }
    sem_init(&done, 0, 0);

    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_message;
    ev.sigev_value.sival_int = 42;
    printf("notify: %d\n", mq_notify(q, &ev));
    int r = mq_notify(q, &ev);
    printf("second registration: %d %s\n", r, strerror(errno));

    char buf[64];
    unsigned prio;
    printf("send: %d\n", mq_send(q, "hello", 5, 3));
    sem_wait(&done);
    printf("function called with %d\n", seen_value);
    ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
    printf("received %zd bytes prio %u: %.*s\n", n, prio, (int)n, buf);

    /* The registration is used up: register again, remove it, and a message notifies nobody. */
    seen_value = 0;
    printf("re-notify: %d\n", mq_notify(q, &ev));
    printf("remove: %d\n", mq_notify(q, NULL));
    printf("send: %d\n", mq_send(q, "again", 5, 1));
    usleep(200000);
    printf("function not called: %d\n", seen_value == 0 && sem_trywait(&done) == -1);
    n = mq_receive(q, buf, sizeof buf, &prio);
    printf("received %zd bytes prio %u: %.*s\n", n, prio, (int)n, buf);

    /* A registration dies with the descriptors of its process. */
    mq_close(q);
    q = mq_open(name, O_RDWR);
    printf("after reopen notify: %d\n", mq_notify(q, &ev));
    mq_close(q);
    printf("unlink: %d\n", mq_unlink(name));
    return 0;
}
