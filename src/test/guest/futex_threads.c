/* Futexes between threads and processes: pthread mutexes (plain, PI, robust with owner death),
 * condition variables, barriers, raw FUTEX_WAIT/WAKE, and a shared futex across fork. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4
#define ITERS 2000

static pthread_mutex_t plain = PTHREAD_MUTEX_INITIALIZER, pi, robust;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long counter, picounter, ready;
static _Atomic uint32_t word;

static void *worker(void *arg) {
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&plain); counter++; pthread_mutex_unlock(&plain);
        pthread_mutex_lock(&pi); picounter++; pthread_mutex_unlock(&pi);
    }
    pthread_mutex_lock(&plain);
    ready++;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&plain);
    return arg;
}

static void *die_holding(void *arg) {
    pthread_mutex_lock(&robust);
    return arg; /* exits owning the robust mutex */
}

static void *raw_waiter(void *arg) {
    while (atomic_load(&word) == 0) syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    return arg;
}

int main(void) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi, &a);
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_barrier_init(&barrier, NULL, THREADS);

    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, NULL);
    pthread_mutex_lock(&plain);
    while (ready < THREADS) pthread_cond_wait(&cond, &plain);
    pthread_mutex_unlock(&plain);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    printf("counter %ld picounter %ld\n", counter, picounter);

    pthread_t d;
    pthread_create(&d, NULL, die_holding, NULL);
    pthread_join(d, NULL);
    int r = pthread_mutex_lock(&robust);
    printf("robust lock after owner death: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : "other");
    printf("consistent %d\n", pthread_mutex_consistent(&robust));
    pthread_mutex_unlock(&robust);

    pthread_t w;
    pthread_create(&w, NULL, raw_waiter, NULL);
    usleep(10000);
    atomic_store(&word, 1);
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    pthread_join(w, NULL);
    printf("raw waiter woke\n");

    /* A shared futex in MAP_SHARED memory: the child waits, the parent wakes it. */
    _Atomic uint32_t *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *sh = 0;
    pid_t pid = fork();
    if (pid == 0) {
        while (atomic_load(sh) == 0) syscall(SYS_futex, sh, FUTEX_WAIT, 0, NULL, NULL, 0);
        _exit(atomic_load(sh) == 2 ? 0 : 1);
    }
    usleep(10000);
    atomic_store(sh, 2);
    syscall(SYS_futex, sh, FUTEX_WAKE, 1, NULL, NULL, 0);
    int st;
    waitpid(pid, &st, 0);
    printf("shared futex child status %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return 0;
}
