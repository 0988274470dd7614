#define _GNU_SOURCE
/* System V message queues: types, MSG_EXCEPT, MSG_NOERROR, MSG_COPY, E2BIG, ENOMSG, a
 * receiver blocked across fork, a full queue, EIDRM. Only IPC_PRIVATE queues, removed at the end. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(x) printf("%-60s %s\n", #x, (x) ? "ok" : "FAIL")

struct m { long type; char text[64]; };

static int snd(int id, long type, const char *s, int flg) {
    struct m b;
    b.type = type;
    strcpy(b.text, s);
    return msgsnd(id, &b, strlen(s) + 1, flg);
}

static void rcv(int id, long type, int flg, size_t size) {
    struct m b;
    memset(&b, 0, sizeof b);
    long n = msgrcv(id, &b, size, type, flg);
    if (n < 0) printf("rcv(%ld) -> %s\n", type, strerror(errno));
    else printf("rcv(%ld) -> %ld bytes, type %ld, \"%.*s\"\n", type, n, b.type, (int)n, b.text);
}

static void stat_line(int id) {
    struct msqid_ds ds;
    if (msgctl(id, IPC_STAT, &ds) != 0) { printf("stat: %s\n", strerror(errno)); return; }
    printf("qnum=%lu cbytes=%lu qbytes=%lu mode=%o lspid_ok=%d\n", (unsigned long)ds.msg_qnum,
           (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes, ds.msg_perm.mode & 0777,
           ds.msg_lspid == getpid() || ds.msg_lspid == 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    CHECK(id >= 0);
    stat_line(id);
    CHECK(snd(id, 3, "three", 0) == 0);
    CHECK(snd(id, 1, "one", 0) == 0);
    CHECK(snd(id, 2, "two", 0) == 0);
    CHECK(snd(id, 1, "one again", 0) == 0);
    CHECK(snd(id, 5, "five", 0) == 0);
    stat_line(id);

    /* MSG_COPY by index, without removing. */
    rcv(id, 2, MSG_COPY | IPC_NOWAIT, 64);
    rcv(id, 9, MSG_COPY | IPC_NOWAIT, 64);
    rcv(id, 0, MSG_COPY, 64);
    stat_line(id);

    rcv(id, 2, IPC_NOWAIT, 64);             /* the first of type 2 */
    rcv(id, -2, IPC_NOWAIT, 64);            /* the lowest type <= 2: "one" */
    rcv(id, 1, MSG_EXCEPT | IPC_NOWAIT, 64); /* the first not of type 1: "three" */
    rcv(id, 5, IPC_NOWAIT, 3);              /* too big: E2BIG, stays queued */
    rcv(id, 5, IPC_NOWAIT | MSG_NOERROR, 3); /* truncated */
    rcv(id, 7, IPC_NOWAIT, 64);             /* none: ENOMSG */
    rcv(id, 0, IPC_NOWAIT, 64);             /* the first: "one again" */
    rcv(id, 0, IPC_NOWAIT, 64);             /* empty: ENOMSG */
    stat_line(id);

    /* Errors. */
    CHECK(snd(id, 0, "x", 0) == -1 && errno == EINVAL);
    CHECK(snd(id, -1, "x", 0) == -1 && errno == EINVAL);
    static struct { long type; char text[9000]; } big;
    big.type = 1;
    CHECK(msgsnd(id, &big, 8193, 0) == -1 && errno == EINVAL);
    /* (msgrcv with a negative size is EINVAL on Linux; qemu-user trips over it.) */
    CHECK(msgrcv(id, &big, 10, 0, MSG_COPY | MSG_EXCEPT | IPC_NOWAIT) == -1 && errno == EINVAL);
    CHECK(msgctl(id, 99, NULL) == -1 && errno == EINVAL);
    { struct msqid_ds d0; CHECK(msgctl(-1, IPC_STAT, &d0) == -1 && errno == EINVAL); }

    /* A receiver sleeping across fork gets the message directly. */
    pid_t c = fork();
    if (c == 0) {
        struct m b;
        long n = msgrcv(id, &b, 64, 4, 0);
        _exit(n == 5 && strcmp(b.text, "four") == 0 ? 4 : 1);
    }
    usleep(100000);
    CHECK(snd(id, 9, "nine", 0) == 0);
    CHECK(snd(id, 4, "four", 0) == 0);
    int st;
    waitpid(c, &st, 0);
    printf("receiver exited %d\n", WEXITSTATUS(st));
    stat_line(id);
    rcv(id, 0, IPC_NOWAIT, 64);

    /* A full queue: IPC_NOWAIT gives EAGAIN; a sleeping sender goes on when room is made. */
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 20;
    CHECK(msgctl(id, IPC_SET, &ds) == 0);
    CHECK(snd(id, 1, "0123456789abcde", 0) == 0);
    CHECK(snd(id, 1, "0123456789", IPC_NOWAIT) == -1 && errno == EAGAIN);
    c = fork();
    if (c == 0) _exit(snd(id, 2, "0123456789", 0) == 0 ? 2 : 1);
    usleep(100000);
    rcv(id, 1, 0, 64);
    waitpid(c, &st, 0);
    printf("sender exited %d\n", WEXITSTATUS(st));
    stat_line(id);

    /* Permissions and ownership. */
    c = fork();
    if (c == 0) {
        if (setgid(2222) || setuid(2222)) _exit(1);
        int ok = snd(id, 1, "x", IPC_NOWAIT) == -1 && errno == EACCES;
        ok &= msgctl(id, IPC_RMID, NULL) == -1 && errno == EPERM;
        _exit(ok ? 3 : 1);
    }
    waitpid(c, &st, 0);
    printf("unprivileged child exited %d\n", WEXITSTATUS(st));

    /* Removing the queue wakes a sleeping receiver with EIDRM. */
    c = fork();
    if (c == 0) {
        struct m b;
        long n = msgrcv(id, &b, 64, 77, 0);
        _exit(n == -1 && errno == EIDRM ? 5 : 1);
    }
    usleep(100000);
    CHECK(msgctl(id, IPC_RMID, NULL) == 0);
    waitpid(c, &st, 0);
    printf("sleeper of the removed queue exited %d\n", WEXITSTATUS(st));
    CHECK(msgctl(id, IPC_STAT, &ds) == -1 && errno == EINVAL);

    key_t key = 0x6b617800 | (getpid() & 0xff);
    int k1 = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    CHECK(k1 >= 0);
    CHECK(msgget(key, IPC_CREAT | IPC_EXCL) == -1 && errno == EEXIST);
    CHECK(msgget(key, 0) == k1);
    CHECK(msgctl(k1, IPC_RMID, NULL) == 0);
    CHECK(msgget(key, 0) == -1 && errno == ENOENT);
    return 0;
}
