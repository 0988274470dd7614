/* Threads at scale: 500 threads with small stacks, each doing mutex- and condition-variable work
 * (a hand-off ring: thread i waits for its turn, passes it to i+1) and counting under a mutex,
 * all joined; then 200 threads blocked in pthread_cond_wait at once, woken together by one
 * pthread_cond_broadcast. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define N1 500
#define ROUNDS 20
#define N2 200

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;

static void *ring_worker(void *arg) {
    long id = (long)arg;
    for (int r = 0; r < ROUNDS; r++) {
        pthread_mutex_lock(&mu);
        counter++;
        pthread_mutex_unlock(&mu);
    }
    /* Wait for our turn in the ring, then pass it on. */
    pthread_mutex_lock(&mu);
    while (turn != id) pthread_cond_wait(&turn_cv, &mu);
    turn++;
    pthread_cond_broadcast(&turn_cv);
    pthread_mutex_unlock(&mu);
    return (void *)(id * 2);
}

static pthread_cond_t go_cv = PTHREAD_COND_INITIALIZER, ready_cv = PTHREAD_COND_INITIALIZER;
static int waiting, go, woken;

static void *waiter(void *arg) {
    pthread_mutex_lock(&mu);
    waiting++;
    pthread_cond_signal(&ready_cv);
    while (!go) pthread_cond_wait(&go_cv, &mu);
    woken++;
    pthread_mutex_unlock(&mu);
    return arg;
}

int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    static pthread_t th[N1];
    int created = 0;
    for (long i = 0; i < N1; i++) {
        int e = pthread_create(&th[i], &attr, ring_worker, (void *)i);
        if (e) { printf("pthread_create %ld: %s\n", i, strerror(e)); break; }
        created++;
    }
    long sum = 0;
    int bad = 0;
    for (int i = 0; i < created; i++) {
        void *ret;
        if (pthread_join(th[i], &ret) != 0) bad++;
        sum += (long)ret;
    }
    printf("ring: created %d joined with %d errors, counter %ld, turn %d, sum of results %ld\n", created, bad, counter,
           turn, sum);

    static pthread_t w[N2];
    created = 0;
    for (long i = 0; i < N2; i++) {
        if (pthread_create(&w[i], &attr, waiter, (void *)i) != 0) break;
        created++;
    }
    pthread_mutex_lock(&mu);
    while (waiting < created) pthread_cond_wait(&ready_cv, &mu);
    int before = woken;
    go = 1;
    pthread_cond_broadcast(&go_cv);
    pthread_mutex_unlock(&mu);
    sum = 0;
    for (int i = 0; i < created; i++) {
        void *ret;
        pthread_join(w[i], &ret);
        sum += (long)ret;
    }
    printf("broadcast: %d waiters, %d woken before the broadcast, %d after, sum %ld\n", created, before, woken, sum);
    return 0;
}
