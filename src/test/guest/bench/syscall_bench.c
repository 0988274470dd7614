/* Syscall micro-benchmark for kava: the cost of a few system calls and kernel paths, in
   nanoseconds per operation, measured with clock_gettime(CLOCK_MONOTONIC). Each operation runs
   in rounds of doubling size until a round takes at least BENCH_MIN_NS; that round's average is
   printed as "name ns_per_op". tools/bench-syscalls builds it for riscv64 (run under kava) and
   for the host (run natively) and prints both side by side. Not a test: it prints figures. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_MIN_NS 200000000LL /* 0.2 s per measured round */

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static volatile long sink;

static void op_getpid(long n) {
    for (long i = 0; i < n; i++) sink += syscall(SYS_getpid); /* the raw syscall: no libc caching */
}

static void op_clock_gettime(long n) {
    struct timespec ts;
    for (long i = 0; i < n; i++) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        sink += ts.tv_nsec;
    }
}

static int to_child[2], to_parent[2];
static pid_t echo_pid;

static void pipe_setup(void) {
    if (pipe(to_child) || pipe(to_parent)) { perror("pipe"); exit(1); }
    echo_pid = fork();
    if (echo_pid == 0) {
        char c;
        close(to_child[1]);
        close(to_parent[0]);
        while (read(to_child[0], &c, 1) == 1) {
            if (write(to_parent[1], &c, 1) != 1) _exit(1);
        }
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
}

static void pipe_teardown(void) {
    close(to_child[1]);
    close(to_parent[0]);
    waitpid(echo_pid, NULL, 0);
}

static void op_pipe_pingpong(long n) {
    char c = 'x';
    for (long i = 0; i < n; i++) {
        if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1) { perror("ping-pong"); exit(1); }
    }
}

static void op_fork_wait(long n) {
    for (long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0) _exit(0);
        if (p < 0) { perror("fork"); exit(1); }
        waitpid(p, NULL, 0);
    }
}

static void op_mmap_touch(long n) {
    const size_t len = 1 << 20;
    for (long i = 0; i < n; i++) {
        char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); exit(1); }
        for (size_t off = 0; off < len; off += 4096) p[off] = 1;
        munmap(p, len);
    }
}

static void *thread_fn(void *arg) { return arg; }

static void op_pthread(long n) {
    for (long i = 0; i < n; i++) {
        pthread_t t;
        if (pthread_create(&t, NULL, thread_fn, NULL)) { fprintf(stderr, "pthread_create failed\n"); exit(1); }
        pthread_join(t, NULL);
    }
}

static void bench(const char *name, void (*op)(long)) {
    op(1); /* warm up */
    for (long n = 1;; n *= 2) {
        int64_t t0 = now_ns();
        op(n);
        int64_t dt = now_ns() - t0;
        if (dt >= BENCH_MIN_NS || n >= (1L << 30)) {
            printf("%s %.1f\n", name, (double)dt / n);
            fflush(stdout);
            return;
        }
    }
}

int main(int argc, char **argv) {
    const char *only = argc > 1 ? argv[1] : NULL; /* run one operation by name */
#define RUN(name, fn) if (!only || strcmp(only, name) == 0) bench(name, fn)
    RUN("getpid", op_getpid);
    RUN("clock_gettime", op_clock_gettime);
    if (!only || strcmp(only, "pipe_pingpong") == 0) {
        pipe_setup();
        bench("pipe_pingpong", op_pipe_pingpong);
        pipe_teardown();
    }
    RUN("fork_exit_wait", op_fork_wait);
    RUN("mmap_touch_munmap_1MiB", op_mmap_touch);
    RUN("pthread_create_join", op_pthread);
    return 0;
}
