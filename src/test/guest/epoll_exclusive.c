/* EPOLLEXCLUSIVE: four threads each wait in their own epoll set on one eventfd; a single
   write wakes exactly one of them (the others time out), while without EPOLLEXCLUSIVE all
   four wake. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define N 4
static int efd;
static int woken;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *waiter(void *arg) {
    int ep = (int)(intptr_t)arg;
    struct epoll_event ev;
    int r = epoll_wait(ep, &ev, 1, 1500);
    if (r == 1) {
        pthread_mutex_lock(&lock);
        woken++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static int round_of(unsigned flags) {
    efd = eventfd(0, 0);
    woken = 0;
    pthread_t th[N];
    int eps[N];
    for (int i = 0; i < N; i++) {
        eps[i] = epoll_create1(0);
        struct epoll_event ev = {.events = EPOLLIN | flags, .data.u32 = i};
        epoll_ctl(eps[i], EPOLL_CTL_ADD, efd, &ev);
        pthread_create(&th[i], NULL, waiter, (void *)(intptr_t)eps[i]);
    }
    usleep(300000); /* let every thread block */
    uint64_t one = 1;
    write(efd, &one, sizeof one);
    for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++) close(eps[i]);
    close(efd);
    return woken;
}

int main(void) {
    printf("without EPOLLEXCLUSIVE: %d woken\n", round_of(0));
    printf("with EPOLLEXCLUSIVE: %d woken\n", round_of(EPOLLEXCLUSIVE));
    return 0;
}
