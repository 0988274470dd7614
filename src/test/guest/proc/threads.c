/* pthreads: create/join with return values, mutex + condvar producer/consumer, atomics from 8
   threads, __thread variables, pthread_barrier, gettid != getpid in threads with one getpid,
   detached threads, pthread_exit from main's threads, and exit() from a thread ending all. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static __thread int tls_value = 7;
static __thread char tls_buf[64];
static pid_t main_pid, main_tid;

static void *ret_square(void *arg) {
    intptr_t n = (intptr_t)arg;
    tls_value += (int)n;
    snprintf(tls_buf, sizeof tls_buf, "thread %d", (int)n);
    int ok = tls_value == 7 + n && strcmp(tls_buf, "thread") > 0;
    return (void *)(intptr_t)(ok ? n * n : -1);
}

#define QCAP 8
static int queue[QCAP], qhead, qtail, qcount, produced_done;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg) {
    int base = (int)(intptr_t)arg;
    for (int i = 1; i <= 1000; i++) {
        pthread_mutex_lock(&qlock);
        while (qcount == QCAP) pthread_cond_wait(&not_full, &qlock);
        queue[qtail] = base + i;
        qtail = (qtail + 1) % QCAP;
        qcount++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&qlock);
    }
    return NULL;
}

static void *consumer(void *arg) {
    long long *sum = arg;
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (qcount == 0 && !produced_done) pthread_cond_wait(&not_empty, &qlock);
        if (qcount == 0 && produced_done) { pthread_mutex_unlock(&qlock); return NULL; }
        int v = queue[qhead];
        qhead = (qhead + 1) % QCAP;
        qcount--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&qlock);
        *sum += v;
    }
}

static atomic_long counter;
static long plain_counter;
static pthread_mutex_t plock = PTHREAD_MUTEX_INITIALIZER;
static void *adder(void *arg) {
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        atomic_fetch_add(&counter, 1);
        pthread_mutex_lock(&plock);
        plain_counter++;
        pthread_mutex_unlock(&plock);
    }
    return NULL;
}

static pthread_barrier_t barrier;
static atomic_int arrived, serial_count, after_barrier_saw_all;
static void *barrier_worker(void *arg) {
    (void)arg;
    for (int round = 0; round < 3; round++) {
        atomic_fetch_add(&arrived, 1);
        int r = pthread_barrier_wait(&barrier);
        if (r == PTHREAD_BARRIER_SERIAL_THREAD) atomic_fetch_add(&serial_count, 1);
        if (atomic_load(&arrived) >= 4 * (round + 1)) atomic_fetch_add(&after_barrier_saw_all, 1);
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

static atomic_int ids_ok;
static pid_t tids[4];
static void *ids(void *arg) {
    int i = (int)(intptr_t)arg;
    pid_t tid = gettid();
    tids[i] = tid;
    if (getpid() == main_pid && tid != main_pid && tid != main_tid && syscall(SYS_gettid) == tid) atomic_fetch_add(&ids_ok, 1);
    return NULL;
}

static atomic_int detached_ran;
static void *detached(void *arg) {
    (void)arg;
    atomic_fetch_add(&detached_ran, 1);
    return NULL;
}

static void *exits_early(void *arg) {
    (void)arg;
    pthread_exit((void *)55);
    return (void *)1;
}

static void *calls_exit(void *arg) {
    (void)arg;
    printf("thread calling exit(3)\n");
    fflush(stdout);
    exit(3);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    main_pid = getpid();
    main_tid = gettid();
    printf("main: tid == pid %s\n", main_tid == main_pid ? "yes" : "no");

    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, ret_square, (void *)(intptr_t)(i + 1));
    printf("join values:");
    for (int i = 0; i < 8; i++) {
        void *rv;
        int r = pthread_join(t[i], &rv);
        printf(" %ld%s", (long)(intptr_t)rv, r ? "!" : "");
    }
    printf("\nmain's TLS untouched: %d\n", tls_value);

    long long sums[2] = {0, 0};
    pthread_t p[2], c[2];
    for (int i = 0; i < 2; i++) pthread_create(&c[i], NULL, consumer, &sums[i]);
    for (int i = 0; i < 2; i++) pthread_create(&p[i], NULL, producer, (void *)(intptr_t)(i * 100000));
    for (int i = 0; i < 2; i++) pthread_join(p[i], NULL);
    pthread_mutex_lock(&qlock);
    produced_done = 1;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&qlock);
    for (int i = 0; i < 2; i++) pthread_join(c[i], NULL);
    printf("producer/consumer total %lld (expected %lld)\n", sums[0] + sums[1], 2LL * 500500 + 1000LL * 100000);

    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, adder, NULL);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    printf("atomic counter %ld, mutex counter %ld\n", (long)atomic_load(&counter), plain_counter);

    pthread_barrier_init(&barrier, NULL, 4);
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, barrier_worker, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("barrier: serial threads %d (one per round), saw all arrivals %d\n", atomic_load(&serial_count), atomic_load(&after_barrier_saw_all));

    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, ids, (void *)(intptr_t)i);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    int distinct = 1;
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (tids[i] == tids[j]) distinct = 0;
    printf("threads: same getpid, own gettid: %d of 4, tids distinct %s\n", atomic_load(&ids_ok), distinct ? "yes" : "no");

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 4; i++) pthread_create(&t[i], &attr, detached, NULL);
    for (int i = 0; i < 2000 && atomic_load(&detached_ran) < 4; i++) usleep(1000);
    printf("detached threads ran: %d\n", atomic_load(&detached_ran));

    void *rv;
    pthread_create(&t[0], NULL, exits_early, NULL);
    pthread_join(t[0], &rv);
    printf("pthread_exit value: %ld\n", (long)(intptr_t)rv);
    int r = pthread_join(pthread_self(), &rv);
    printf("join self: %s\n", strerrorname_np(r));

    /* Many short-lived threads. */
    int made = 0;
    for (int i = 0; i < 200; i++) {
        if (pthread_create(&t[0], NULL, ret_square, (void *)(intptr_t)3) == 0) {
            pthread_join(t[0], &rv);
            if ((intptr_t)rv == 9) made++;
        }
    }
    printf("200 sequential threads: %d ok\n", made);

    /* exit() in a thread ends the whole process, with main still blocked. */
    pthread_create(&t[0], NULL, calls_exit, NULL);
    pthread_join(t[0], NULL);
    printf("not reached\n");
    return 0;
}
