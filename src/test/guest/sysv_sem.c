#define _GNU_SOURCE
/* System V semaphores: semop across fork with blocking, all-or-nothing arrays, SEM_UNDO at
 * exit, GETNCNT/GETZCNT, semtimedop timing out, EIDRM for a sleeper when the set is removed,
 * and the error cases. Only IPC_PRIVATE sets, all removed at the end. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x) printf("%-60s %s\n", #x, (x) ? "ok" : "FAIL")

union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; };

static int op(int id, int num, int o, int flg) {
    struct sembuf sb = {(unsigned short)num, (short)o, (short)flg};
    return semop(id, &sb, 1);
}

/* Waits until n tasks sleep on semaphore num for a decrement (or zero). */
static void wait_sleepers(int id, int num, int cmd, int n) {
    while (semctl(id, num, cmd) != n) usleep(1000);
}

static void on_alarm(int sig) { (void)sig; }

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    CHECK(id >= 0);
    struct semid_ds ds;
    union semun arg = {.buf = &ds};
    CHECK(semctl(id, 0, IPC_STAT, arg) == 0 && ds.sem_nsems == 3 && (ds.sem_perm.mode & 0777) == 0600);
    CHECK(ds.sem_otime == 0);
    CHECK(semctl(id, 0, GETVAL) == 0);

    /* SETVAL / SETALL / GETALL. */
    arg.val = 5;
    CHECK(semctl(id, 1, SETVAL, arg) == 0);
    CHECK(semctl(id, 1, GETVAL) == 5);
    CHECK(semctl(id, 1, GETPID) == getpid());
    unsigned short all[3] = {1, 2, 3};
    arg.array = all;
    CHECK(semctl(id, 0, SETALL, arg) == 0);
    unsigned short got[3] = {0};
    arg.array = got;
    CHECK(semctl(id, 0, GETALL, arg) == 0 && got[0] == 1 && got[1] == 2 && got[2] == 3);
    arg.val = 32768;
    CHECK(semctl(id, 0, SETVAL, arg) == -1 && errno == ERANGE);
    arg.val = 1;
    CHECK(semctl(id, 3, SETVAL, arg) == -1 && errno == EINVAL);

    /* All or nothing: the second op would block, so the first is not applied. */
    struct sembuf two[2] = {{0, -1, IPC_NOWAIT}, {1, -5, IPC_NOWAIT}};
    CHECK(semop(id, two, 2) == -1 && errno == EAGAIN);
    CHECK(semctl(id, 0, GETVAL) == 1 && semctl(id, 1, GETVAL) == 2);
    two[1].sem_op = -2;
    CHECK(semop(id, two, 2) == 0);
    CHECK(semctl(id, 0, GETVAL) == 0 && semctl(id, 1, GETVAL) == 0);
    CHECK(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}) == 0 && ds.sem_otime != 0);
    /* Wait-for-zero succeeds at once on a zero semaphore; fails without waiting when not. */
    CHECK(op(id, 0, 0, 0) == 0);
    CHECK(op(id, 2, 0, IPC_NOWAIT) == -1 && errno == EAGAIN);
    CHECK(op(id, 2, 32767, 0) == -1 && errno == ERANGE);

    /* Blocking across fork: the child waits for a decrement, the parent posts. */
    pid_t c = fork();
    if (c == 0) {
        int r = op(id, 0, -1, 0);
        _exit(r == 0 ? 7 : 1);
    }
    wait_sleepers(id, 0, GETNCNT, 1);
    printf("GETNCNT with the child asleep: %d\n", semctl(id, 0, GETNCNT));
    CHECK(op(id, 0, 1, 0) == 0);
    int st;
    waitpid(c, &st, 0);
    printf("child woke and exited %d; value %d\n", WEXITSTATUS(st), semctl(id, 0, GETVAL));

    /* A zero waiter: GETZCNT. */
    CHECK(op(id, 2, -2, 0) == 0); /* 3 -> 1 */
    c = fork();
    if (c == 0) _exit(op(id, 2, 0, 0) == 0 ? 3 : 1);
    wait_sleepers(id, 2, GETZCNT, 1);
    printf("GETZCNT: %d\n", semctl(id, 2, GETZCNT));
    CHECK(op(id, 2, -1, 0) == 0);
    waitpid(c, &st, 0);
    printf("zero waiter exited %d\n", WEXITSTATUS(st));

    /* SEM_UNDO: a child takes the semaphore and exits without giving it back. */
    arg.val = 2;
    semctl(id, 1, SETVAL, arg);
    c = fork();
    if (c == 0) {
        op(id, 1, -2, SEM_UNDO);
        op(id, 1, 1, 0);
        _exit(semctl(id, 1, GETVAL));
    }
    waitpid(c, &st, 0);
    printf("in the child the value was %d; after its exit %d\n", WEXITSTATUS(st), semctl(id, 1, GETVAL));
    CHECK(semctl(id, 1, GETPID) == c);

    /* semtimedop times out with EAGAIN. */
    struct timespec to = {0, 20 * 1000 * 1000};
    struct sembuf dec = {0, -1, 0};
    arg.val = 0;
    semctl(id, 0, SETVAL, arg);
    CHECK(semtimedop(id, &dec, 1, &to) == -1 && errno == EAGAIN);
    to.tv_nsec = 1000000000;
    CHECK(semtimedop(id, &dec, 1, &to) == -1 && errno == EINVAL);

    /* A signal interrupts a sleeper with EINTR, even with SA_RESTART. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    c = fork();
    if (c == 0) {
        int r = op(id, 0, -1, 0);
        _exit(r == -1 && errno == EINTR ? 4 : 1);
    }
    wait_sleepers(id, 0, GETNCNT, 1);
    kill(c, SIGUSR1);
    waitpid(c, &st, 0);
    printf("interrupted sleeper exited %d; ncnt %d\n", WEXITSTATUS(st), semctl(id, 0, GETNCNT));

    /* Errors. */
    CHECK(op(id, 3, 1, 0) == -1 && errno == EFBIG);
    CHECK(semop(id, two, 0) == -1 && errno == EINVAL);
    CHECK(semop(-1, two, 1) == -1 && errno == EINVAL);
    CHECK(semget(IPC_PRIVATE, 0, 0600) == -1 && errno == EINVAL);
    CHECK(semget(IPC_PRIVATE, -1, 0600) == -1 && errno == EINVAL);
    CHECK(semctl(id, 0, 1234) == -1 && errno == EINVAL);
    struct seminfo si;
    CHECK(semctl(0, 0, IPC_INFO, (union semun){.__buf = &si}) >= 0 && si.semvmx == 32767);
    CHECK(semctl(0, 0, SEM_INFO, (union semun){.__buf = &si}) >= 0 && si.semusz >= 1);

    /* A key: EEXIST, nsems larger than the set EINVAL, permissions. */
    key_t key = 0x6b617700 | (getpid() & 0xff);
    int k1 = semget(key, 2, IPC_CREAT | IPC_EXCL | 0640);
    CHECK(k1 >= 0);
    CHECK(semget(key, 2, IPC_CREAT | IPC_EXCL | 0600) == -1 && errno == EEXIST);
    CHECK(semget(key, 3, 0) == -1 && errno == EINVAL);
    CHECK(semget(key, 1, 0) == k1);
    c = fork();
    if (c == 0) {
        if (setgid(4321) || setuid(4321)) _exit(1);
        int ok = semget(key, 1, 0600) == -1 && errno == EACCES;
        ok &= op(k1, 0, 1, 0) == -1 && errno == EACCES;
        ok &= semctl(k1, 0, IPC_RMID) == -1 && errno == EPERM;
        ok &= semctl(k1, 0, GETVAL) == -1 && errno == EACCES;
        _exit(ok ? 5 : 1);
    }
    waitpid(c, &st, 0);
    printf("unprivileged child exited %d\n", WEXITSTATUS(st));
    CHECK(semctl(k1, 0, IPC_RMID) == 0);

    /* Removing the set wakes a sleeper with EIDRM. */
    c = fork();
    if (c == 0) {
        int r = op(id, 0, -1, 0);
        _exit(r == -1 && errno == EIDRM ? 6 : 1);
    }
    wait_sleepers(id, 0, GETNCNT, 1);
    CHECK(semctl(id, 0, IPC_RMID) == 0);
    waitpid(c, &st, 0);
    printf("sleeper of the removed set exited %d\n", WEXITSTATUS(st));
    CHECK(semctl(id, 0, GETVAL) == -1 && errno == EINVAL);
    return 0;
}
